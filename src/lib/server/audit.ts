import type { Queryable } from './db/types';

export interface AuditEntry {
	subdistrictId: number | null;
	actorUserId: number | null;
	actor: string;
	action: string;
	targetKind?: string;
	targetId?: string;
	detail?: Record<string, unknown>;
	address?: string;
}

/** Appends one entry to the audit log (append-only in the database). */
export async function writeAudit(db: Queryable, entry: AuditEntry): Promise<void> {
	await db.query(
		`INSERT INTO audit_log (subdistrict_id, actor_user_id, actor, action, target_kind, target_id, detail, address)
		 VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8)`,
		[
			entry.subdistrictId,
			entry.actorUserId,
			entry.actor,
			entry.action,
			entry.targetKind ?? null,
			entry.targetId ?? null,
			JSON.stringify(entry.detail ?? {}),
			entry.address ?? null
		]
	);
}

export interface AuditRow {
	id: string;
	at: string;
	actor: string;
	action: string;
	targetKind: string | null;
	targetId: string | null;
	detail: Record<string, unknown>;
	address: string | null;
}

/** Newest first; filters are optional and combined. */
export async function searchAudit(
	db: Queryable,
	filter: { actor?: string; action?: string; from?: string; to?: string; limit?: number }
): Promise<AuditRow[]> {
	return db.query<AuditRow>(
		`SELECT id::text, to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS at, actor, action,
		        target_kind AS "targetKind", target_id AS "targetId", detail, address
		 FROM audit_log
		 WHERE ($1::text IS NULL OR actor ILIKE '%' || $1 || '%')
		   AND ($2::text IS NULL OR action LIKE $2 || '%')
		   AND ($3::date IS NULL OR at >= ($3::date)::timestamp AT TIME ZONE 'Asia/Shanghai')
		   AND ($4::date IS NULL OR at < ($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
		 ORDER BY at DESC, id DESC LIMIT $5`,
		[
			filter.actor || null,
			filter.action || null,
			filter.from || null,
			filter.to || null,
			filter.limit ?? 200
		]
	);
}
