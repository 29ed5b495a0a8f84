/**
 * Benchmark: the reinforcement planner, HiGHS against the greedy dispatcher (the baseline), on
 * deterministic synthetic cases — a subdistrict (99 grids, a pool of 500 people) and a city
 * (10,000 grids, 20,000 people). Each grid has a checkpoint shift short of staff and screening and
 * observation workload; people come in units of 20 from staging places, some with one skill only.
 * Both allocators get the same candidates: every unit for the subdistrict, each need's 8 nearest
 * units for the city.
 *
 * Usage: npm run bench:planner      Writes bench-results/planner.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import {
	greedyPlan,
	type Need,
	type PlanOptions,
	type Skill,
	type Unit
} from '../../src/lib/features/planner/model/planner';
import { solvePlan } from '../../src/lib/features/planner/server/solve.server';
import { SeededRandom } from '../../src/lib/domain/random';

function instance(
	grids: number,
	people: number,
	sizeKm: number,
	seed: number
): { needs: Need[]; units: Unit[] } {
	const random = new SeededRandom(seed);
	const origin: [number, number] = [120.2, 30.2];
	const degLng = sizeKm / (111.32 * Math.cos((30.25 * Math.PI) / 180));
	const degLat = sizeKm / 110.57;
	const place = (): [number, number] => [
		origin[0] + random.next() * degLng,
		origin[1] + random.next() * degLat
	];
	const needs: Need[] = [];
	for (let g = 0; g < grids; g++) {
		const code = `G${g}`;
		const at = place();
		const severity = random.next();
		const weight = severity < 0.2 ? 3 : severity < 0.6 ? 2 : 1;
		needs.push({
			id: `${code}-gate`,
			gridCode: code,
			checkpointCode: `K${g}`,
			shift: 'night',
			skill: 'gate',
			people: random.int(1, 4),
			weight: 3,
			position: at
		});
		needs.push({
			id: `${code}-screening`,
			gridCode: code,
			checkpointCode: null,
			shift: null,
			skill: 'screening',
			people: random.int(0, 5),
			weight,
			position: at
		});
		needs.push({
			id: `${code}-observation`,
			gridCode: code,
			checkpointCode: null,
			shift: null,
			skill: 'observation',
			people: random.int(0, 3),
			weight: Math.max(1, weight - 1),
			position: at
		});
	}
	const stagings = Array.from({ length: Math.max(5, Math.round(grids / 20)) }, place);
	const units: Unit[] = [];
	const skills: Skill[][] = [[], [], ['gate'], ['screening'], ['observation']];
	for (let k = 0; k * 20 < people; k++) {
		units.push({
			id: `U${k}`,
			name: `队伍 ${k + 1}`,
			people: Math.min(20, people - k * 20),
			skills: skills[k % skills.length],
			staging: stagings[random.int(0, stagings.length - 1)]
		});
	}
	return { needs, units };
}

const round = (n: number) => Math.round(n * 10) / 10;

async function compare(
	name: string,
	grids: number,
	people: number,
	sizeKm: number,
	nearest: number | null
) {
	const { needs, units } = instance(grids, people, sizeKm, 2020);
	const options: PlanOptions = {
		maxPerGrid: null,
		keepUnitsTogether: false,
		objective: 'weighted'
	};
	const wanted = needs.reduce((s, n) => s + n.people, 0);
	let started = performance.now();
	const greedy = greedyPlan(needs, units, options, undefined, nearest);
	const greedyMs = performance.now() - started;
	started = performance.now();
	const solved = await solvePlan(needs, units, options, undefined, nearest);
	const solveMs = performance.now() - started;
	const row = {
		case: name,
		grids,
		people,
		needs: needs.filter((n) => n.people > 0).length,
		peopleWanted: wanted,
		candidates: solved.stats.arcs,
		highs: {
			unmetPeople: solved.unmetPeople,
			weightedUnmet: solved.weightedUnmet,
			km: round(solved.km),
			worstGridShortfall: round(solved.worstGridShortfall * 100) / 100,
			ms: Math.round(solveMs)
		},
		greedy: {
			unmetPeople: greedy.unmetPeople,
			weightedUnmet: greedy.weightedUnmet,
			km: round(greedy.km),
			worstGridShortfall: round(greedy.worstGridShortfall * 100) / 100,
			ms: Math.round(greedyMs)
		}
	};
	console.log(JSON.stringify(row));
	return row;
}

export async function main(): Promise<number> {
	const results = {
		date: new Date().toISOString(),
		cpus: (await import('node:os')).cpus().length,
		cases: [
			await compare('subdistrict', 99, 500, 8, null),
			await compare('city', 10_000, 20_000, 60, 8)
		]
	};
	mkdirSync('bench-results', { recursive: true });
	writeFileSync('bench-results/planner.json', JSON.stringify(results, null, 2));
	console.log(JSON.stringify(results, null, 2));
	return 0;
}
