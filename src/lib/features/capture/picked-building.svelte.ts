/**
 * A building tapped on the grid's map, for the address pickers of the page's forms: they show its
 * compound and building, leaving the unit and room to choose. `at` tells a new tap from an old one
 * (the same building tapped again picks it again).
 */
export const pickedBuilding = $state<{ code: string | null; at: number }>({ code: null, at: 0 });

export function pickBuilding(code: string): void {
	pickedBuilding.code = code;
	pickedBuilding.at = Date.now();
}
