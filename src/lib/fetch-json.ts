/** GETs JSON; a failed response throws an Error with the server's message (it says what and why). */
export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
	const response = await fetch(url, init);
	if (!response.ok)
		throw new Error((await response.json().catch(() => ({}))).message ?? response.statusText);
	return response.json();
}
