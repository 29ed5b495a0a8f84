import type { Queryable } from '../../src/lib/server/db/types';

/**
 * The schema of the public schema as text, object by object, for comparing two databases: functions
 * (full definition, owner-relative grants), policies, triggers, tables and their columns, indexes,
 * row-level security, table and column grants, types and sequences. The extension's own objects
 * (PostGIS) are left out, as are names and owners that differ between databases.
 */
export async function schemaSnapshot(db: Queryable): Promise<Record<string, string>> {
	const parts: Record<string, string> = {};
	const add = (kind: string, rows: { key: string; value: string | null }[]) => {
		for (const row of rows) parts[`${kind} ${row.key}`] = row.value ?? '';
	};
	const notExtension = (oid: string, catalog: string) =>
		`NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ${oid} AND d.classid = '${catalog}'::regclass AND d.deptype = 'e')`;
	// Grants with the owner written as "owner", so databases owned by different roles compare.
	const acl = (column: string, owner: string, kind: string) =>
		`(SELECT string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' WHEN a.grantee = ${owner} THEN 'owner' ELSE a.grantee::regrole::text END
		   || ':' || a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END, ',' ORDER BY 1)
		  FROM aclexplode(coalesce(${column}, acldefault(${kind}, ${owner}))) a)`;

	add(
		'function',
		await db.query(
			`SELECT p.oid::regprocedure::text AS key,
			        pg_get_functiondef(p.oid) || E'\\n-- grants: ' || ${acl('p.proacl', 'p.proowner', "'f'")} AS value
			 FROM pg_proc p
			 WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f' AND ${notExtension('p.oid', 'pg_proc')}`
		)
	);
	add(
		'policy',
		await db.query(
			`SELECT tablename || '.' || policyname AS key,
			        concat_ws(' | ', permissive, roles::text, cmd, qual, with_check) AS value
			 FROM pg_policies WHERE schemaname = 'public'`
		)
	);
	add(
		'trigger',
		await db.query(
			`SELECT t.tgrelid::regclass::text || '.' || t.tgname AS key, pg_get_triggerdef(t.oid) AS value
			 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			 WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace`
		)
	);
	add(
		'relation',
		await db.query(
			`SELECT c.relname AS key,
			        c.relkind::text || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity || ' grants: ' ||
			        coalesce(${acl('c.relacl', 'c.relowner', "CASE WHEN c.relkind = 'S' THEN 's'::\"char\" ELSE 'r'::\"char\" END")}, '') AS value
			 FROM pg_class c
			 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c')
			   AND ${notExtension('c.oid', 'pg_class')}`
		)
	);
	add(
		'column',
		await db.query(
			`SELECT c.relname || '.' || a.attname AS key,
			        format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
			        coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '') ||
			        coalesce(' generated ' || NULLIF(a.attgenerated::text, ''), '') ||
			        coalesce(' grants: ' || ${acl('a.attacl', 'c.relowner', "'c'")}, '') AS value
			 FROM pg_attribute a
			 JOIN pg_class c ON c.oid = a.attrelid
			 LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
			   AND a.attnum > 0 AND NOT a.attisdropped AND ${notExtension('c.oid', 'pg_class')}`
		)
	);
	add(
		'index',
		await db.query(
			`SELECT indexname AS key, indexdef AS value FROM pg_indexes
			 WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'`
		)
	);
	add(
		'constraint',
		await db.query(
			`SELECT con.conrelid::regclass::text || '.' || con.conname AS key, pg_get_constraintdef(con.oid) AS value
			 FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
			 WHERE c.relnamespace = 'public'::regnamespace AND ${notExtension('c.oid', 'pg_class')}`
		)
	);
	return parts;
}

/** The keys whose values differ between two snapshots (or that one lacks), each with both sides. */
export function schemaDifferences(
	a: Record<string, string>,
	b: Record<string, string>
): { key: string; a: string | undefined; b: string | undefined }[] {
	const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
	return keys.filter((k) => a[k] !== b[k]).map((k) => ({ key: k, a: a[k], b: b[k] }));
}
