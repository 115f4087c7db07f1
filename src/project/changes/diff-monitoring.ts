import type { Baseline } from './baseline';
import { RESOURCE, type DeploymentChange } from './effects';

/** Stack-wide monitoring: the alarm topic and the dashboard. Nothing here holds data or moves a mapping. */
export function monitoringChanges(before: Baseline, after: Baseline): DeploymentChange[] {
  const [a, b] = [before.monitoring, after.monitoring];
  const changes: DeploymentChange[] = [];
  if (a.createAlarmTopic !== b.createAlarmTopic) {
    changes.push({
      change: 'monitoring.createAlarmTopic',
      from: String(a.createAlarmTopic),
      to: String(b.createAlarmTopic),
      effect: b.createAlarmTopic
        ? 'creates the alarm topic: subscribe to it after deploying'
        : 'deletes the alarm topic and its subscriptions: alarms no longer notify anyone through it',
      risky: false,
      resources: [{ type: RESOURCE.topic, action: b.createAlarmTopic ? 'created' : 'deleted' }],
    });
  }
  if (a.alarmTopicArn !== b.alarmTopicArn) {
    changes.push({
      change: 'monitoring.alarmTopicArn',
      from: a.alarmTopicArn ?? '(none)',
      to: b.alarmTopicArn ?? '(none)',
      effect: 'in place: every alarm notifies the new topic',
      risky: false,
      resources: [{ type: RESOURCE.alarm, action: 'updated' }],
    });
  }
  if (a.dashboard !== b.dashboard) {
    changes.push({
      change: 'monitoring.dashboard',
      from: String(a.dashboard),
      to: String(b.dashboard),
      effect: b.dashboard ? 'creates the dashboard' : 'deletes the dashboard (the metrics stay in CloudWatch)',
      risky: false,
      resources: [{ type: RESOURCE.dashboard, action: b.dashboard ? 'created' : 'deleted' }],
    });
  }
  return changes;
}
