import { describe, expect, it } from 'vitest';
import { errorFields, redactMessage } from '../../src/lib/server/log';

describe('error log lines', () => {
	it('take out the values a database error quotes, keep the names of constraints and tables', () => {
		expect(redactMessage('invalid input syntax for type integer: "张三"')).toBe(
			'invalid input syntax for type integer: "…"'
		);
		expect(
			redactMessage('duplicate key value violates unique constraint "person_id_hash_key"')
		).toBe('duplicate key value violates unique constraint "person_id_hash_key"');
		expect(redactMessage('Key (phone)=(13800138000) already exists.')).toBe(
			'Key (phone)=(…) already exists.'
		);
		expect(redactMessage('no person with ID 330106199001011234 in grid 0502')).toBe(
			'no person with ID … in grid 0502'
		);
		expect(redactMessage('value "O\'Brien 1" too long for type character varying(60)')).toBe(
			'value "…" too long for type character varying(60)'
		);
	});
	it('apply it to an error and to anything thrown that is not an Error', () => {
		const fields = errorFields(
			Object.assign(new Error('invalid input syntax for type uuid: "13800138000"'), {
				code: '22P02'
			})
		);
		expect(fields.error).toBe('Error: invalid input syntax for type uuid: "…"');
		expect(fields.errorCode).toBe('22P02');
		expect(errorFields('phone 13800138000 refused').error).toBe('phone … refused');
	});
});

describe('error log lines keep no value that looks like a name', () => {
	it('take out a quoted lowercase value unless the word before it names a database object', () => {
		expect(redactMessage('invalid input value for enum screening_method: "zhangsan"')).toBe(
			'invalid input value for enum screening_method: "…"'
		);
		expect(redactMessage('relation "person" does not exist')).toBe(
			'relation "person" does not exist'
		);
		expect(redactMessage('Key (name)=(Wang (Jr.) 1) already exists.')).toBe(
			'Key (name)=(…) already exists.'
		);
	});
});
