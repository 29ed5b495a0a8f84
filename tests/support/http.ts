/** A minimal cookie-keeping HTTP client for route-level tests against the running app. */
export class Client {
	cookie = '';
	constructor(readonly baseUrl: string) {}

	async request(path: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		if (this.cookie) headers.set('cookie', this.cookie);
		const response = await fetch(`${this.baseUrl}${path}`, {
			...init,
			headers,
			redirect: 'manual'
		});
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const [name, value] = pair.split('=');
			const others = this.cookie.split('; ').filter((c) => c && !c.startsWith(`${name}=`));
			if (value) others.push(pair);
			this.cookie = others.join('; ');
		}
		return response;
	}

	get(path: string) {
		return this.request(path);
	}

	/** Posts a form as the browser would from one of our pages (Origin = the app). */
	postForm(path: string, fields: Record<string, string>, origin = this.baseUrl) {
		return this.request(path, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin },
			body: new URLSearchParams(fields).toString()
		});
	}

	async signInAsDemo(username: string): Promise<Response> {
		const response = await this.postForm('/signin?/demo', { username, next: '/' });
		if (response.status !== 303)
			throw new Error(
				`demo sign-in as ${username} failed: ${response.status} ${await response.text()}`
			);
		return response;
	}
}
