/**
 * Props held as a parent's `$state`: a component's write to a `$bindable` prop lands here, as it
 * would through `bind:` on a page, and a test's write reaches the component as a new prop value.
 * (Svelte writes a bound prop back when the props object is a state proxy: svelte/src/internal/
 * client/reactivity/props.js, `is_entry_props`.)
 */
export function parentState<Props extends object>(initial: Props): Props {
	const props = $state(initial);
	return props;
}
