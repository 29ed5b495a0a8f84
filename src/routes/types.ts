// The wall page still imports these from here; their one definition is the map feature's contract.
export type { AreaCollection, AreaFeature, AreaProperties } from '$lib/features/map/contract';
