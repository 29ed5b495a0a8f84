export type { Lang } from './core/i18n';
