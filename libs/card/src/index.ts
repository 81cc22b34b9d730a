export * from './card.exception';
export * from './chip/card-face';
export { PIN_TRIES } from './chip/pin';
export * from './chip/ic-chip';
export * from './store/card-store';
export * from './certificates/card-certificate';
export * from './certificates/authentication';
export * from './certificates/portal-code-messages';
