import { columnLetter, type ColumnMap } from './table';

/** Why a row was refused; the words are the catalog's (intake_reason_…), in the reader's language. */
export type RowReason =
	| 'required'
	| 'not_a_whole_number'
	| 'out_of_range'
	| 'address_unreadable'
	| 'coordinate_pair'
	| 'duplicate_in_file'
	| 'compound_unknown'
	| 'community_differs'
	| 'building_needs_coordinates'
	| 'outside_jurisdiction'
	| 'outside_compound'
	| 'building_misplaced'
	| 'compound_ambiguous'
	| 'unit_needed'
	| 'room_unreadable'
	| 'name_invalid'
	| 'id_invalid'
	| 'phone_invalid'
	| 'date_invalid'
	| 'date_future'
	| 'date_before_period'
	| 'household_unknown'
	| 'address_unknown'
	| 'address_ambiguous'
	| 'id_duplicate_in_file'
	| 'id_stored_as_number'
	| 'area_code_invalid'
	| 'area_duplicate_in_file'
	| 'area_not_polygon'
	| 'area_not_degrees'
	| 'area_empty'
	| 'area_outside_jurisdiction'
	| 'community_unknown';

export interface RowProblem {
	row: number;
	/** The column as the user's spreadsheet shows it: `D（单元）`. */
	column: string;
	value: string;
	reason: RowReason;
	/**
	 * Said with the reason: the row a duplicate repeats, the community the compound is in; for
	 * `id_invalid`, which rule of GB 11643 the number breaks (`check`, `birth_date` …).
	 */
	detail?: string;
}

/** The header a field was read from, as the error report names it: `D（单元）`. */
export function columnName<F extends string>(map: ColumnMap<F>, field: F): string {
	const index = map.columns[field];
	return index === undefined ? field : `${columnLetter(index)}（${map.headers[index]}）`;
}
