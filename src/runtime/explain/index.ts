export { defaultPoisonScenario, MAX_SCENARIO_RECORDS, poisonTimeline } from './poison-timeline';
export type { InvokeReason, InvokeResult, PoisonScenario, PoisonTimeline, RecordRange, TimelineRow } from './poison-timeline';
export { poisonDiagram } from './mermaid';
export { poisonText } from './text';
