declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
			id?: string;
		}
		interface Locals {
			lang: 'zh-CN' | 'en';
		}
	}
}

export {};
