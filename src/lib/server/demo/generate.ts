/**
 * Deterministic generator of the synthetic Baiyang demo (白杨街道, Jan–Feb 2020).
 *
 * The area is real; geometry and records are invented, from a fixed seed, so that every
 * figure of the source article holds (see tests/db/article-facts.test.ts). The same seed
 * gives byte-identical output on every run and platform: only integer PRNG state, plain
 * arithmetic, and no clock or locale.
 */
import { SeededRandom } from '../../domain/random';
import { addDays } from '../../core/time';
import {
	LocalProjection,
	densifyRing,
	distanceToRingEdge,
	pointInRing,
	ringBounds,
	ringCentroid,
	scaleRingToArea,
	signedArea,
	voronoiCells,
	type LngLat,
	type Ring,
	type XY
} from '../../domain/geo';
import { nodeRings, outline } from '../../domain/topology';
import {
	COMPOUND_PREFIXES,
	COMPOUND_SUFFIXES,
	DEMO_COMMUNITIES,
	GIVEN_CHARS,
	KEY_AREA_ORIGINS,
	NAMED_COMPOUNDS,
	OTHER_ORIGINS,
	SURNAMES
} from './names';
import { unitAndRoom } from '../../features/capture/model/address';

export const DEMO_SEED = 20200125;
export const DEMO_FIRST_DAY = '2020-01-20';
export const DEMO_LAST_DAY = '2020-02-28';
/** Article: 辖区面积 54.9 平方公里. */
export const DEMO_AREA_M2 = 54.9e6;
/** Article: 常住人口 47 万. */
export const DEMO_RESIDENTS = 470_000;
const GRID_COUNT = 99;
const COMPOUND_COUNT = 64;
const STAFF_COUNT = 1_540;
const ENTERPRISE_COUNT = 3_611;
const PROJECT_COUNT = 75;

export interface DemoArea {
	code: string;
	name: string;
	nameEn: string;
	ring: LngLat[];
}
export interface DemoGrid {
	code: string;
	name: string;
	communityCode: string;
	ring: LngLat[];
}
export interface DemoCompound {
	code: string;
	name: string;
	communityCode: string;
	ring: LngLat[];
}
export interface DemoBuilding {
	code: string;
	compoundCode: string | null;
	/** Its number in the compound (3 → 3幢), or in its grid outside a compound (12 → 12号). */
	number: number;
	floors: number;
	position: LngLat;
}
export interface DemoHousehold {
	code: string;
	buildingCode: string;
	/** 2 → 2单元 */
	unit: number;
	/** 302 → 302室 */
	room: string;
	members: number;
	position: LngLat;
}
export interface DemoPerson {
	/** A synthetic, well-formed resident ID number (GB 11643); the loader stores only its keyed hash. */
	idNumber: string;
	householdCode: string;
	nameMasked: string;
	phoneMasked: string;
	origin: string;
	keyArea: boolean;
	returnee: boolean;
	arrivalDate: string | null;
}
export interface DemoStaff {
	code: string;
	communityCode: string;
	gridCode: string;
	kind: 'cadre' | 'social_worker' | 'property' | 'volunteer' | 'party_member';
	nameMasked: string;
	phoneMasked: string;
}
export interface DemoScreening {
	personIdNumber: string;
	staffCode: string;
	screenedAt: string;
	method: 'door' | 'phone' | 'checkpoint';
	result: 'normal' | 'fever' | 'referred';
}
export interface DemoObservation {
	householdCode: string;
	personIdNumber: string;
	startDate: string;
	endDate: string;
	status: 'active' | 'released';
}
export interface DemoServiceTask {
	householdCode: string;
	kind: 'visit' | 'garbage' | 'delivery';
	dueAt: string;
	doneAt: string | null;
}
export interface DemoCheckpoint {
	code: string;
	name: string;
	kind: 'gate' | 'building' | 'road';
	compoundCode: string | null;
	communityCode: string;
	requiredStaff: number;
	hoursPerDay: 8 | 16 | 24;
	opensOn: string;
	position: LngLat;
}
export interface DemoShift {
	checkpointCode: string;
	staffCode: string;
	startsAt: string;
	endsAt: string;
	checkedIn: boolean;
}
export interface DemoEnterprise {
	code: string;
	name: string;
	staffTotal: number;
	staffArrived: number;
	resumedOn: string | null;
	position: LngLat;
}
export interface DemoProject {
	code: string;
	name: string;
	staffExpected: number;
	staffArrived: number;
	progressPct: number;
	resumedOn: string | null;
	position: LngLat;
}
export interface DemoDailyReport {
	communityCode: string;
	reportDate: string;
	reportedAt: string;
	observedHouseholds: number;
	observedPersons: number;
	screenedToday: number;
}

export interface DemoData {
	subdistrict: DemoArea;
	communities: DemoArea[];
	grids: DemoGrid[];
	compounds: DemoCompound[];
	buildings: DemoBuilding[];
	households: DemoHousehold[];
	persons: DemoPerson[];
	staff: DemoStaff[];
	screenings: DemoScreening[];
	observations: DemoObservation[];
	serviceTasks: DemoServiceTask[];
	checkpoints: DemoCheckpoint[];
	shifts: DemoShift[];
	enterprises: DemoEnterprise[];
	projects: DemoProject[];
	dailyReports: DemoDailyReport[];
}

/** A Beijing-time timestamp, ISO 8601 with its +08:00 offset; `minutes` from local midnight (may exceed a day). */
export function beijingTime(day: string, minutes: number): string {
	const dayShift = Math.floor(minutes / 1440);
	const rest = minutes - dayShift * 1440;
	const hh = String(Math.floor(rest / 60)).padStart(2, '0');
	const mm = String(rest % 60).padStart(2, '0');
	return `${addDays(day, dayShift)}T${hh}:${mm}:00+08:00`;
}

/**
 * Outline of the synthetic jurisdiction: a convex polygon in Xiasha, north of the Qiantang
 * River, inside the real 钱塘区 boundary, scaled to exactly 54.9 km².
 */
const OUTLINE: LngLat[] = [
	[120.296, 30.297],
	[120.318, 30.284],
	[120.34, 30.269],
	[120.356, 30.263],
	[120.372, 30.27],
	[120.394, 30.292],
	[120.399, 30.316],
	[120.386, 30.332],
	[120.3, 30.333]
];
const PROJECTION = new LocalProjection([120.35, 30.3]);

const round = (value: number, decimals: number) => {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
};
const toLngLat = (point: XY, decimals = 7): LngLat => {
	const [lng, lat] = PROJECTION.toLngLat(point);
	return [round(lng, decimals), round(lat, decimals)];
};
/** Compound rings keep 9 decimals (0.1 mm), the precision of the shared grid topology. */
const ringToLngLat = (ring: Ring): LngLat[] => ring.map((p) => toLngLat(p, 9));

function maskName(random: SeededRandom): string {
	const surname = random.pick([...SURNAMES]);
	const given = random.pick([...GIVEN_CHARS]);
	return random.chance(0.7) ? `${surname}*${given}` : `${surname}*`;
}
function maskPhone(random: SeededRandom): string {
	return `1${random.pick(['3', '5', '7', '8', '9'])}${random.int(0, 9)}****${String(random.int(0, 9999)).padStart(4, '0')}`;
}
/**
 * A synthetic ID number: 330114 (钱塘区) + a birth date derived from the serial + a 3-digit
 * sequence + the GB 11643-1999 check character (ISO 7064 MOD 11-2). No random draws, so adding it
 * does not shift the rest of the generated data.
 */
export function syntheticIdNumber(serial: number): string {
	const year = 1945 + ((serial * 7919) % 60);
	const month = 1 + ((serial * 31) % 12);
	const day = 1 + ((serial * 17) % 28);
	const body = `330114${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
	const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
	return body + '10X98765432'[sum % 11];
}

/** Mitchell's best-candidate sampling: well-spread points inside a ring. */
function spreadPoints(random: SeededRandom, ring: Ring, count: number, candidates = 12): XY[] {
	const bounds = ringBounds(ring);
	const points: XY[] = [];
	while (points.length < count) {
		let best: XY | null = null;
		let bestDistance = -1;
		for (let c = 0; c < candidates; c++) {
			const candidate: XY = [
				random.range(bounds.minX, bounds.maxX),
				random.range(bounds.minY, bounds.maxY)
			];
			if (!pointInRing(candidate, ring)) {
				c--;
				continue;
			}
			const nearest = points.reduce(
				(min, p) => Math.min(min, Math.hypot(p[0] - candidate[0], p[1] - candidate[1])),
				Infinity
			);
			const distance = Math.min(nearest, distanceToRingEdge(candidate, ring) * 2);
			if (distance > bestDistance) {
				bestDistance = distance;
				best = candidate;
			}
		}
		points.push(best as XY);
	}
	return points;
}

/** Lloyd relaxation: moves each site to its cell's centroid, for rounder cells. */
function relax(region: Ring, sites: XY[], iterations: number): Ring[] {
	let cells = voronoiCells(region, sites);
	for (let i = 0; i < iterations; i++) {
		sites = cells.map((cell) => ringCentroid(cell));
		cells = voronoiCells(region, sites);
	}
	return cells;
}

function randomPointIn(random: SeededRandom, ring: Ring, marginMeters = 0): XY {
	const bounds = ringBounds(ring);
	for (;;) {
		const p: XY = [random.range(bounds.minX, bounds.maxX), random.range(bounds.minY, bounds.maxY)];
		if (pointInRing(p, ring) && (marginMeters === 0 || distanceToRingEdge(p, ring) >= marginMeters))
			return p;
	}
}

/** Splits `total` into integer shares proportional to `weights` (largest remainder), each ≥ `minimum`. */
export function apportion(weights: number[], total: number, minimum = 0): number[] {
	const spare = total - minimum * weights.length;
	const sum = weights.reduce((a, b) => a + b, 0);
	const exact = weights.map((w) => (w / sum) * spare);
	const shares = exact.map((x) => Math.floor(x));
	let left = spare - shares.reduce((a, b) => a + b, 0);
	const order = exact
		.map((x, i) => [x - Math.floor(x), i] as const)
		.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	for (let k = 0; left > 0; k++, left--) shares[order[k % order.length][1]]++;
	return shares.map((s) => s + minimum);
}

/** Article: 截至2月28日累计纳入居家观察2500多户共6700多人 — households (the cap) and persons (the aim). */
const OBSERVED_HOUSEHOLDS = 2_590;
const OBSERVED_PERSONS = 6_750;

/**
 * Takes observed households from a shuffled pool so that persons keep pace with households at the
 * article's ratio: the next household is the first in pool order whose members fit what the ratio
 * allows so far (at least the smallest size). No draw from `random`: the pool order decides.
 */
function observedHouseholdPicker<H extends { members: number }>(pool: H[]): (taken: number) => H {
	const used = new Set<number>();
	let persons = 0;
	let first = 0;
	const smallest = Math.min(...pool.map((h) => h.members));
	return (taken) => {
		const allowance = Math.max(
			smallest,
			(OBSERVED_PERSONS / OBSERVED_HOUSEHOLDS) * (taken + 1) - persons
		);
		while (used.has(first)) first++;
		let i = first;
		while (used.has(i) || pool[i].members > allowance) i++;
		used.add(i);
		persons += pool[i].members;
		return pool[i];
	};
}

interface GridState {
	code: string;
	communityIndex: number;
	ring: Ring;
	/** 0 on track, 1 behind after the surge, 2 far behind. */
	screeningBehind: 0 | 1 | 2;
	staffingShort: boolean;
	tasksBehind: boolean;
}

export function generateDemo(seed = DEMO_SEED): DemoData {
	const random = new SeededRandom(seed);

	// Jurisdiction, communities, grids.
	const jurisdiction = densifyRing(
		scaleRingToArea(
			OUTLINE.map((p) => PROJECTION.toLocal(p)),
			DEMO_AREA_M2
		),
		50
	);
	const communityRings = relax(
		jurisdiction,
		DEMO_COMMUNITIES.map((c) => PROJECTION.toLocal(c.anchor)),
		2
	);
	const gridCounts = apportion(
		communityRings.map((ring) => Math.abs(signedArea(ring))),
		GRID_COUNT,
		2
	);
	const grids: GridState[] = [];
	communityRings.forEach((ring, communityIndex) => {
		const sites = spreadPoints(random, ring, gridCounts[communityIndex]);
		const cells = relax(ring, sites, 3);
		// Number grids north-west first, as a person reading the map would.
		const ordered = cells
			.map((cell) => ({ cell, c: ringCentroid(cell) }))
			.sort((a, b) => b.c[1] - a.c[1] || a.c[0] - b.c[0]);
		ordered.forEach(({ cell }, k) => {
			grids.push({
				code: `${String(communityIndex + 1).padStart(2, '0')}${String(k + 1).padStart(2, '0')}`,
				communityIndex,
				ring: cell,
				screeningBehind: 0,
				staffingShort: false,
				tasksBehind: false
			});
		});
	});
	// Realistic unevenness: a few grids fall behind on screening, staffing or services.
	const gridOrder = random.shuffle(grids.map((_, i) => i));
	gridOrder.slice(0, 12).forEach((i, k) => (grids[i].screeningBehind = k < 4 ? 2 : 1));
	gridOrder.slice(10, 22).forEach((i) => (grids[i].staffingShort = true));
	gridOrder.slice(20, 28).forEach((i) => (grids[i].tasksBehind = true));

	const communityName = (i: number) => DEMO_COMMUNITIES[i].name;
	const gridOfPoint = (p: XY): GridState => {
		for (const grid of grids) if (pointInRing(p, grid.ring)) return grid;
		// On a shared edge: the nearest cell.
		return grids.reduce((best, grid) =>
			distanceToRingEdge(p, grid.ring) < distanceToRingEdge(p, best.ring) ? grid : best
		);
	};

	// Compounds: two per community, more in the largest; the named three first.
	const compoundCounts = apportion(
		communityRings.map((ring) => Math.abs(signedArea(ring))),
		COMPOUND_COUNT,
		2
	);
	const dabei = DEMO_COMMUNITIES.findIndex((c) => c.name === '大北社区');
	const usedNames = new Set<string>(NAMED_COMPOUNDS.map((c) => c.name));
	interface CompoundState {
		code: string;
		name: string;
		communityIndex: number;
		center: XY;
		ring: Ring;
		width: number;
		height: number;
		angle: number;
	}
	const compounds: CompoundState[] = [];
	communityRings.forEach((ring, communityIndex) => {
		const named = NAMED_COMPOUNDS.filter((c) => c.community === communityName(communityIndex)).map(
			(c) => c.name
		);
		const count = communityIndex === dabei ? 3 : compoundCounts[communityIndex];
		for (let k = 0; k < count; k++) {
			let name = named[k];
			while (!name) {
				const candidate = random.pick(COMPOUND_PREFIXES) + random.pick(COMPOUND_SUFFIXES);
				if (!usedNames.has(candidate)) name = candidate;
			}
			usedNames.add(name);
			for (let attempt = 0; ; attempt++) {
				const shrink = attempt > 150 ? 0.6 : 1;
				const width = random.range(240, 420) * shrink;
				const height = random.range(180, 320) * shrink;
				const angle = random.range(-0.3, 0.3);
				const center = randomPointIn(random, ring, 40);
				const corners: Ring = [
					[-width / 2, -height / 2],
					[width / 2, -height / 2],
					[width / 2, height / 2],
					[-width / 2, height / 2]
				].map(([dx, dy]) => [
					center[0] + dx * Math.cos(angle) - dy * Math.sin(angle),
					center[1] + dx * Math.sin(angle) + dy * Math.cos(angle)
				]);
				const inside = corners.every(
					(p) => pointInRing(p, ring) && distanceToRingEdge(p, ring) > 15
				);
				const clear = compounds.every(
					(other) =>
						Math.hypot(other.center[0] - center[0], other.center[1] - center[1]) >
						(Math.hypot(width, height) + Math.hypot(other.width, other.height)) / 2 + 30
				);
				if (inside && clear) {
					compounds.push({
						code: `C${String(compounds.length + 1).padStart(2, '0')}`,
						name,
						communityIndex,
						center,
						ring: corners,
						width,
						height,
						angle
					});
					break;
				}
				if (attempt > 400)
					throw new Error(`cannot place compound ${name} in ${communityName(communityIndex)}`);
			}
		}
	});
	if (compounds.length !== COMPOUND_COUNT) {
		// 大北 has a fixed three; take the difference from the largest communities.
		while (compounds.length > COMPOUND_COUNT) {
			const index = compounds.findLastIndex(
				(c) => c.communityIndex !== dabei && !NAMED_COMPOUNDS.some((n) => n.name === c.name)
			);
			compounds.splice(index, 1);
		}
		compounds.forEach((c, i) => (c.code = `C${String(i + 1).padStart(2, '0')}`));
	}
	const compoundPoint = (c: CompoundState, u: number, v: number): XY => {
		const dx = (u - 0.5) * c.width;
		const dy = (v - 0.5) * c.height;
		return [
			c.center[0] + dx * Math.cos(c.angle) - dy * Math.sin(c.angle),
			c.center[1] + dx * Math.sin(c.angle) + dy * Math.cos(c.angle)
		];
	};

	// Buildings: a lattice in each compound, plus low-rise buildings (villages, dormitories) in every grid.
	interface BuildingState {
		code: string;
		compound: CompoundState | null;
		number: number;
		floors: number;
		point: XY;
	}
	const buildings: BuildingState[] = [];
	for (const compound of compounds) {
		const cols = random.int(3, 6);
		const rows = random.int(3, 6);
		for (let r = 0; r < rows; r++) {
			for (let c = 0; c < cols; c++) {
				buildings.push({
					code: `B${String(buildings.length + 1).padStart(4, '0')}`,
					compound,
					number: r * cols + c + 1,
					floors: random.pick([6, 11, 18, 18, 26, 33]),
					point: compoundPoint(compound, (c + 0.5) / cols, (r + 0.5) / rows)
				});
			}
		}
	}
	for (const grid of grids) {
		const count = random.int(4, 10);
		for (let k = 0; k < count; k++) {
			buildings.push({
				code: `B${String(buildings.length + 1).padStart(4, '0')}`,
				compound: null,
				number: k + 1,
				floors: random.int(3, 7),
				point: randomPointIn(random, grid.ring, 12)
			});
		}
	}

	// Households: ~170,000, sized so that registered residents total exactly 470,000.
	const memberWeights = [0.17, 0.3, 0.26, 0.15, 0.08, 0.04];
	const drawMembers = () => {
		let u = random.next();
		for (let m = 0; m < memberWeights.length; m++) {
			u -= memberWeights[m];
			if (u < 0) return m + 1;
		}
		return memberWeights.length;
	};
	const householdsPerBuilding = apportion(
		buildings.map((b) => b.floors * (b.compound ? 4 : 3)),
		170_000,
		1
	);
	interface HouseholdState {
		code: string;
		building: BuildingState;
		unit: number;
		room: string;
		members: number;
		point: XY;
		grid: GridState;
	}
	const households: HouseholdState[] = [];
	buildings.forEach((building, b) => {
		const grid = gridOfPoint(building.point);
		for (let k = 0; k < householdsPerBuilding[b]; k++) {
			const floor = 1 + (k % building.floors);
			const column = Math.floor(k / building.floors);
			households.push({
				code: `${building.code}-${String(floor).padStart(2, '0')}${String(column + 1).padStart(2, '0')}`,
				building,
				...unitAndRoom(floor, column),
				members: drawMembers(),
				point: building.point,
				grid
			});
		}
	});
	let residentGap = DEMO_RESIDENTS - households.reduce((sum, h) => sum + h.members, 0);
	for (let i = 0; residentGap !== 0; i = (i + 7919) % households.length) {
		const h = households[i];
		if (residentGap > 0 && h.members < 8) {
			h.members++;
			residentGap--;
		} else if (residentGap < 0 && h.members > 1) {
			h.members--;
			residentGap++;
		}
	}
	const householdsByGrid = new Map<GridState, HouseholdState[]>();
	for (const h of households) {
		const list = householdsByGrid.get(h.grid) ?? [];
		list.push(h);
		householdsByGrid.set(h.grid, list);
	}

	// Staff: 1,500+ (article), placed by population; the article's named teams exactly.
	const staffKinds: DemoStaff['kind'][] = [
		'cadre',
		'social_worker',
		'property',
		'volunteer',
		'party_member'
	];
	const kindWeights = [0.08, 0.12, 0.17, 0.38, 0.25];
	const fixedTeams: { community: string; kind: DemoStaff['kind']; count: number }[] = [
		{ community: '大北社区', kind: 'party_member', count: 52 }, // 大北: 50+ party members hold the gates
		{ community: '伊萨卡社区', kind: 'party_member', count: 29 }, // 伊萨卡: 29 party members
		{ community: '海天社区', kind: 'volunteer', count: 72 } // 海天: 70+ volunteers
	];
	const communityResidents = DEMO_COMMUNITIES.map((_, i) =>
		households.filter((h) => h.grid.communityIndex === i).reduce((sum, h) => sum + h.members, 0)
	);
	const fixedTotal = fixedTeams.reduce((sum, t) => sum + t.count, 0);
	const staffPerCommunity = apportion(communityResidents, STAFF_COUNT - fixedTotal, 20);
	const staff: (DemoStaff & { communityIndex: number })[] = [];
	const addStaff = (communityIndex: number, kind: DemoStaff['kind']) => {
		const communityGrids = grids.filter((g) => g.communityIndex === communityIndex);
		staff.push({
			code: `S${String(staff.length + 1).padStart(4, '0')}`,
			communityCode: DEMO_COMMUNITIES[communityIndex].code,
			gridCode: random.pick(communityGrids).code,
			kind,
			nameMasked: maskName(random),
			phoneMasked: maskPhone(random),
			communityIndex
		});
	};
	DEMO_COMMUNITIES.forEach((community, i) => {
		for (const team of fixedTeams.filter((t) => t.community === community.name)) {
			for (let k = 0; k < team.count; k++) addStaff(i, team.kind);
		}
		for (let k = 0; k < staffPerCommunity[i]; k++) {
			let u = random.next();
			let kind = staffKinds[staffKinds.length - 1];
			for (let j = 0; j < staffKinds.length; j++) {
				u -= kindWeights[j];
				if (u < 0) {
					kind = staffKinds[j];
					break;
				}
			}
			// Keep the named teams at their stated sizes.
			if (fixedTeams.some((t) => t.community === community.name && t.kind === kind)) kind = 'cadre';
			addStaff(i, kind);
		}
	});
	const staffByCommunity = DEMO_COMMUNITIES.map((_, i) =>
		staff.filter((s) => s.communityIndex === i)
	);

	// Returnees (返杭人员) and screenings. Screening began on 25 Jan 2020 (article).
	const screeningStart = '2020-01-25';
	const persons: DemoPerson[] = [];
	const screenings: DemoScreening[] = [];
	const observations: DemoObservation[] = [];
	let personSerial = 0;
	const householdPool = random.shuffle(households.filter((h) => h.members >= 2 && h.members <= 4));
	const observedHouseholds: { household: HouseholdState; start: string; indexId: string }[] = [];
	const takeObservedHousehold = observedHouseholdPicker(householdPool);

	const addScreening = (
		person: DemoPerson,
		grid: GridState,
		arrival: string,
		isKeyArea: boolean
	) => {
		let day: string | null;
		if (isKeyArea) {
			const u = random.next();
			day =
				u < 0.52 ? '2020-01-25' : u < 0.95 ? '2020-01-26' : addDays('2020-01-27', random.int(0, 1));
			if (arrival > day) day = arrival;
		} else {
			// Those home before screening began wait for the backlog to clear over the first week.
			const from = arrival > screeningStart ? arrival : addDays(screeningStart, random.int(0, 6));
			const late =
				(grid.screeningBehind === 1 && arrival >= '2020-02-03') ||
				(grid.screeningBehind === 2 && arrival >= '2020-01-22');
			const u = random.next();
			const never = grid.screeningBehind === 2 ? 0.45 : 0.28;
			if (late)
				day =
					u < 0.3
						? from
						: u < 0.45
							? addDays(from, 1)
							: u < 1 - never
								? addDays(from, random.int(2, 6))
								: null;
			else day = u < 0.6 ? from : u < 0.95 ? addDays(from, 1) : u < 0.99 ? addDays(from, 2) : null;
		}
		if (day === null || day > DEMO_LAST_DAY) return;
		const community = staffByCommunity[grid.communityIndex];
		const methodRoll = random.next();
		const resultRoll = random.next();
		screenings.push({
			personIdNumber: person.idNumber,
			staffCode: random.pick(community).code,
			screenedAt: beijingTime(day, random.int(8 * 60, 20 * 60)),
			method: methodRoll < 0.6 ? 'door' : methodRoll < 0.85 ? 'phone' : 'checkpoint',
			result: resultRoll < 0.995 ? 'normal' : resultRoll < 0.999 ? 'fever' : 'referred'
		});
	};
	const addReturnee = (arrival: string, isKeyArea: boolean, observed: boolean) => {
		const household = observed
			? takeObservedHousehold(observedHouseholds.length)
			: random.pick(households);
		const person: DemoPerson = {
			idNumber: syntheticIdNumber(++personSerial),
			householdCode: household.code,
			nameMasked: maskName(random),
			phoneMasked: maskPhone(random),
			origin: isKeyArea ? random.pick(KEY_AREA_ORIGINS) : random.pick(OTHER_ORIGINS),
			keyArea: isKeyArea,
			returnee: true,
			arrivalDate: arrival
		};
		persons.push(person);
		addScreening(person, household.grid, arrival, isKeyArea);
		if (observed) {
			// Observation from arrival; those home before it began (23 Jan) from 23 Jan.
			const start = arrival < '2020-01-23' ? '2020-01-23' : arrival;
			observedHouseholds.push({ household, start, indexId: person.idNumber });
		}
	};
	// Key-area returnees: home before the screening began.
	for (let k = 0; k < 1_450; k++) addReturnee(addDays('2020-01-10', random.int(0, 14)), true, true);
	// The surge around the Spring Festival (25 Jan), then the return to work from 10 Feb.
	for (let k = 0; k < 7_000; k++) {
		const arrival = addDays(
			'2020-01-18',
			Math.min(14, Math.floor(Math.abs(random.gaussian()) * 5))
		);
		addReturnee(arrival, false, arrival >= '2020-01-28' && random.chance(0.25));
	}
	// 3,550 in February: with those never screened, 1.15万多 (11,500–11,599) persons screened by 28 Feb.
	for (let k = 0; k < 3_550; k++) {
		const arrival = addDays('2020-02-02', Math.min(26, Math.floor(random.next() ** 0.8 * 27)));
		addReturnee(
			arrival,
			false,
			observedHouseholds.length < OBSERVED_HOUSEHOLDS && random.chance(0.3)
		);
	}
	// Everyone registered in an observed household is observed with the returnee.
	for (const { household, start, indexId } of observedHouseholds) {
		const end = addDays(start, 14);
		const status = end <= DEMO_LAST_DAY ? 'released' : 'active';
		observations.push({
			householdCode: household.code,
			personIdNumber: indexId,
			startDate: start,
			endDate: end,
			status
		});
		for (let m = 1; m < household.members; m++) {
			const member: DemoPerson = {
				idNumber: syntheticIdNumber(++personSerial),
				householdCode: household.code,
				nameMasked: maskName(random),
				phoneMasked: maskPhone(random),
				origin: '浙江省杭州市',
				keyArea: false,
				returnee: false,
				arrivalDate: null
			};
			persons.push(member);
			observations.push({
				householdCode: household.code,
				personIdNumber: member.idNumber,
				startDate: start,
				endDate: end,
				status
			});
		}
	}

	// Services to observed households: a daily health visit and garbage collection
	// (伊萨卡's dedicated bins), groceries every third day (rice, oil, vegetables).
	const serviceTasks: DemoServiceTask[] = [];
	for (const { household, start } of observedHouseholds) {
		for (let d = 0; d < 14; d++) {
			const day = addDays(start, d);
			if (day < DEMO_FIRST_DAY || day > DEMO_LAST_DAY) continue;
			const kinds: [DemoServiceTask['kind'], number][] = [
				['visit', 9 * 60],
				['garbage', 10 * 60]
			];
			if (d % 3 === 1) kinds.push(['delivery', 16 * 60]);
			for (const [kind, dueMinutes] of kinds) {
				const missed = random.chance(household.grid.tasksBehind ? 0.12 : 0.01);
				serviceTasks.push({
					householdCode: household.code,
					kind,
					dueAt: beijingTime(day, dueMinutes),
					doneAt: missed
						? null
						: beijingTime(day, dueMinutes + random.int(-30, household.grid.tasksBehind ? 300 : 90))
				});
			}
		}
	}

	// From here on, records draw from a stream of their own, so that a change to the persons above
	// (how many, which households) leaves checkpoints, shifts, enterprises and reports as they were.
	const laterRandom = new SeededRandom(seed + 2);

	// Checkpoints: compound gates from 27 Jan, building-entrance posts from 4 Feb, road posts from 25 Jan.
	const checkpoints: (DemoCheckpoint & { grid: GridState })[] = [];
	const directions = ['东门', '南门', '西门', '北门'];
	const gateSpots: [number, number][] = [
		[1, 0.5],
		[0.5, 0],
		[0, 0.5],
		[0.5, 1]
	];
	const addCheckpoint = (checkpoint: Omit<DemoCheckpoint, 'code' | 'position'>, point: XY) => {
		checkpoints.push({
			...checkpoint,
			code: `K${String(checkpoints.length + 1).padStart(3, '0')}`,
			position: toLngLat(point),
			grid: gridOfPoint(point)
		});
	};
	const dabeiCompounds = compounds.filter((c) => c.communityIndex === dabei);
	for (const compound of compounds) {
		const dabeiRank = dabeiCompounds.indexOf(compound);
		const gates = dabeiRank >= 0 ? [4, 4, 3][dabeiRank] : laterRandom.int(2, 4); // 大北: 11 gates
		for (let g = 0; g < gates; g++) {
			const [u, v] = gateSpots[g];
			addCheckpoint(
				{
					name: `${compound.name}${directions[g]}`,
					kind: 'gate',
					compoundCode: compound.code,
					communityCode: DEMO_COMMUNITIES[compound.communityIndex].code,
					requiredStaff: 2,
					hoursPerDay: 24,
					opensOn: '2020-01-27'
				},
				compoundPoint(compound, u, v)
			);
		}
	}
	const compoundBuildings = (c: CompoundState) => buildings.filter((b) => b.compound === c);
	// 大北: 48 building-entrance posts (楼道) at 48 buildings (幢), one post to a building, shared among
	// its compounds by their number of buildings (no random draw). Only where a seed gives its compounds
	// fewer than 48 buildings does a building get a second entrance post.
	const dabeiPosts = apportion(
		dabeiCompounds.map((c) => compoundBuildings(c).length),
		48
	);
	for (const compound of compounds) {
		const dabeiRank = dabeiCompounds.indexOf(compound);
		const posts =
			dabeiRank >= 0 ? dabeiPosts[dabeiRank] : laterRandom.chance(0.3) ? laterRandom.int(3, 8) : 0;
		const candidates = compoundBuildings(compound);
		for (let p = 0; p < posts; p++) {
			const building = candidates[p % candidates.length];
			const entrance = Math.floor(p / candidates.length) + 1;
			addCheckpoint(
				{
					name: `${compound.name}${building.code.slice(1).replace(/^0+/, '')}幢${entrance}单元楼道`,
					kind: 'building',
					compoundCode: compound.code,
					communityCode: DEMO_COMMUNITIES[compound.communityIndex].code,
					requiredStaff: 1,
					hoursPerDay: 16,
					opensOn: '2020-02-04'
				},
				[building.point[0] + 6 * entrance, building.point[1] - 6]
			);
		}
	}
	const roads = [
		'2号大街',
		'学源街',
		'文渊路',
		'德胜快速路',
		'6号大街',
		'12号大街',
		'下沙路',
		'文泽路'
	];
	roads.forEach((road, r) => {
		const point = randomPointIn(laterRandom, jurisdiction, 300);
		const grid = gridOfPoint(point);
		addCheckpoint(
			{
				name: `${road}卡口`,
				kind: 'road',
				compoundCode: null,
				communityCode: DEMO_COMMUNITIES[grid.communityIndex].code,
				requiredStaff: r % 2 === 0 ? 3 : 2,
				hoursPerDay: 24,
				opensOn: '2020-01-25'
			},
			point
		);
	});

	// Shifts: 06–14, 14–22, 22–06. Short-staffed grids miss people on night shifts.
	const shifts: DemoShift[] = [];
	const rotation = DEMO_COMMUNITIES.map(() => 0);
	// Nobody stands at two posts in one shift: the next member of the community's rotation who is not
	// yet on duty in that shift; a post goes short when the whole pool is (no random draw, so
	// the rest of the data stays as it was).
	const onDuty = new Map<string, Set<string>>();
	const nextFree = (
		communityIndex: number,
		pool: DemoStaff[],
		startsAt: string
	): DemoStaff | null => {
		const key = `${communityIndex}|${startsAt}`;
		let taken = onDuty.get(key);
		if (!taken) onDuty.set(key, (taken = new Set()));
		for (let tries = 0; tries < pool.length; tries++) {
			const member = pool[rotation[communityIndex]++ % pool.length];
			if (taken.has(member.code)) continue;
			taken.add(member.code);
			return member;
		}
		return null;
	};
	for (const checkpoint of checkpoints) {
		const communityIndex = DEMO_COMMUNITIES.findIndex((c) => c.code === checkpoint.communityCode);
		const pool = staffByCommunity[communityIndex];
		for (let day = checkpoint.opensOn; day <= DEMO_LAST_DAY; day = addDays(day, 1)) {
			for (let slot = 0; slot < checkpoint.hoursPerDay / 8; slot++) {
				const startMinutes = (6 + slot * 8) * 60;
				const night = slot === 2;
				let assigned = checkpoint.requiredStaff;
				if (checkpoint.grid.staffingShort && night && laterRandom.chance(0.75))
					assigned -= laterRandom.int(1, checkpoint.requiredStaff);
				else if (checkpoint.grid.staffingShort && laterRandom.chance(0.15)) assigned -= 1;
				else if (day < '2020-02-01' && laterRandom.chance(0.08)) assigned -= 1;
				else if (laterRandom.chance(0.02)) assigned -= 1;
				const startsAt = beijingTime(day, startMinutes);
				for (let k = 0; k < assigned; k++) {
					const member = nextFree(communityIndex, pool, startsAt);
					const checkedIn = laterRandom.chance(0.97);
					if (!member) continue;
					shifts.push({
						checkpointCode: checkpoint.code,
						staffCode: member.code,
						startsAt,
						endsAt: beijingTime(day, startMinutes + 8 * 60),
						checkedIn
					});
				}
			}
		}
	}

	// The rota for the day after the data ends is already planned (nobody has checked in yet), so the
	// next 24 hours' shifts can be checked for gaps. Its own random stream leaves everything else as it was.
	const rotaRandom = new SeededRandom(seed + 1);
	const rotaDay = addDays(DEMO_LAST_DAY, 1);
	for (const checkpoint of checkpoints) {
		const communityIndex = DEMO_COMMUNITIES.findIndex((c) => c.code === checkpoint.communityCode);
		const pool = staffByCommunity[communityIndex];
		for (let slot = 0; slot < checkpoint.hoursPerDay / 8; slot++) {
			const startMinutes = (6 + slot * 8) * 60;
			let assigned = checkpoint.requiredStaff;
			if (checkpoint.grid.staffingShort && slot === 2 && rotaRandom.chance(0.5)) assigned -= 1;
			else if (rotaRandom.chance(0.01)) assigned -= 1;
			const startsAt = beijingTime(rotaDay, startMinutes);
			for (let k = 0; k < assigned; k++) {
				const member = nextFree(communityIndex, pool, startsAt);
				if (!member) continue;
				shifts.push({
					checkpointCode: checkpoint.code,
					staffCode: member.code,
					startsAt,
					endsAt: beijingTime(rotaDay, startMinutes + 8 * 60),
					checkedIn: false
				});
			}
		}
	}

	// Enterprises (3,611) and construction projects (75) tracked for work resumption from 10 Feb.
	const industries = [
		'电子',
		'科技',
		'机械',
		'食品',
		'物流',
		'纺织',
		'医药',
		'包装',
		'新材料',
		'汽车零部件'
	];
	const enterprises: DemoEnterprise[] = [];
	for (let k = 0; k < ENTERPRISE_COUNT; k++) {
		const staffTotal = Math.max(3, Math.round(Math.exp(laterRandom.range(1.5, 6))));
		const resumes = laterRandom.chance(0.74);
		const resumedOn = resumes
			? addDays('2020-02-10', Math.floor(laterRandom.next() ** 1.6 * 19))
			: null;
		enterprises.push({
			code: `E${String(k + 1).padStart(4, '0')}`,
			name: `杭州${laterRandom.pick(COMPOUND_PREFIXES)}${laterRandom.pick(industries)}有限公司`,
			staffTotal,
			staffArrived: resumedOn ? Math.round(staffTotal * laterRandom.range(0.35, 0.95)) : 0,
			resumedOn,
			position: toLngLat(randomPointIn(laterRandom, jurisdiction, 30))
		});
	}
	const projects: DemoProject[] = [];
	for (let k = 0; k < PROJECT_COUNT; k++) {
		const staffExpected = laterRandom.int(40, 600);
		const resumedOn = laterRandom.chance(0.65)
			? addDays('2020-02-17', laterRandom.int(0, 11))
			: null;
		projects.push({
			code: `P${String(k + 1).padStart(2, '0')}`,
			name: `${laterRandom.pick(roads)}${laterRandom.pick(['住宅', '学校', '道路', '综合体', '厂房', '安置房'])}项目${k + 1}标`,
			staffExpected,
			staffArrived: resumedOn ? Math.round(staffExpected * laterRandom.range(0.2, 0.7)) : 0,
			progressPct: resumedOn ? round(laterRandom.range(1, 12), 1) : 0,
			resumedOn,
			position: toLngLat(randomPointIn(laterRandom, jurisdiction, 50))
		});
	}

	// Daily reports: each community's totals, sent in the evening from 25 Jan; some missing.
	const householdCommunity = new Map(households.map((h) => [h.code, h.grid.communityIndex]));
	const personCommunity = new Map(
		persons.map((p) => [p.idNumber, householdCommunity.get(p.householdCode) as number])
	);
	const dailyReports: DemoDailyReport[] = [];
	for (let day = '2020-01-25'; day <= DEMO_LAST_DAY; day = addDays(day, 1)) {
		const observedHh = DEMO_COMMUNITIES.map(() => new Set<string>());
		const observedPersons = DEMO_COMMUNITIES.map(() => 0);
		for (const o of observations) {
			if (o.startDate <= day && day < o.endDate) {
				const c = householdCommunity.get(o.householdCode) as number;
				observedHh[c].add(o.householdCode);
				observedPersons[c]++;
			}
		}
		const screenedToday = DEMO_COMMUNITIES.map(() => 0);
		for (const s of screenings)
			if (s.screenedAt.startsWith(day))
				screenedToday[personCommunity.get(s.personIdNumber) as number]++;
		DEMO_COMMUNITIES.forEach((community, i) => {
			// Two communities have not yet reported on the last day; a few days go missing elsewhere.
			const missing = (day === DEMO_LAST_DAY && (i === 6 || i === 17)) || laterRandom.chance(0.03);
			if (missing) return;
			dailyReports.push({
				communityCode: community.code,
				reportDate: day,
				reportedAt: beijingTime(day, laterRandom.int(19 * 60, 23 * 60 + 30)),
				observedHouseholds: observedHh[i].size,
				observedPersons: observedPersons[i],
				screenedToday: screenedToday[i]
			});
		});
	}

	// One shared topology: grids share their edges vertex for vertex; each community is the exact
	// union of its grids, the subdistrict of all of them (see domain/topology).
	const gridRings = nodeRings(grids.map((g) => g.ring.map((p) => PROJECTION.toLngLat(p))));
	const communityOutlines = DEMO_COMMUNITIES.map((_, i) =>
		outline(gridRings.filter((_, k) => grids[k].communityIndex === i))
	);
	return {
		subdistrict: {
			code: '330114002',
			name: '白杨街道',
			nameEn: 'Baiyang Subdistrict',
			ring: outline(gridRings)
		},
		communities: DEMO_COMMUNITIES.map((c, i) => ({
			code: c.code,
			name: c.name,
			nameEn: c.nameEn,
			ring: communityOutlines[i]
		})),
		grids: grids.map((g, k) => {
			const number = Number(g.code.slice(2));
			return {
				code: g.code,
				name: `${communityName(g.communityIndex).replace(/社区$/, '')}第${number}网格`,
				communityCode: DEMO_COMMUNITIES[g.communityIndex].code,
				ring: gridRings[k]
			};
		}),
		compounds: compounds.map((c) => ({
			code: c.code,
			name: c.name,
			communityCode: DEMO_COMMUNITIES[c.communityIndex].code,
			ring: ringToLngLat(c.ring)
		})),
		buildings: buildings.map((b) => ({
			code: b.code,
			compoundCode: b.compound?.code ?? null,
			number: b.number,
			floors: b.floors,
			position: toLngLat(b.point)
		})),
		households: households.map((h) => ({
			code: h.code,
			buildingCode: h.building.code,
			unit: h.unit,
			room: h.room,
			members: h.members,
			position: toLngLat(h.point)
		})),
		persons,
		staff: staff.map(({ communityIndex: _drop, ...s }) => s),
		screenings,
		observations,
		serviceTasks,
		checkpoints: checkpoints.map(({ grid: _drop, ...c }) => c),
		shifts,
		enterprises,
		projects,
		dailyReports
	};
}
