/** How alerts reach people: the tenant's Alertmanager config built from the configured receivers. */
import {
  alertmanagerConfig,
  NULL_RECEIVER,
  ResolvedReceiver,
} from "../../components/observabilityAlerting";

const receivers: ResolvedReceiver[] = [
  { name: "oncall", type: "pagerduty", routingKey: "pd", severities: ["critical"] },
  { name: "team", type: "slack", channel: "#alerts", apiUrl: "https://hooks.slack.com/x" },
  {
    name: "mail",
    type: "email",
    to: "ops@example.com",
    from: "alerts@example.com",
    smarthost: "smtp.example.com:587",
    authUsername: "alerts@example.com",
    authPassword: "pw",
    severities: ["critical", "warning", "info"],
  },
  { name: "hook", type: "webhook", url: "https://hooks.example.com/a", severities: ["info"] },
];
const config = alertmanagerConfig(receivers) as any;

describe("Alertmanager config", () => {
  it("routes each severity to every receiver that takes it, the rest to a null receiver", () => {
    expect(config.route.receiver).toBe(NULL_RECEIVER);
    expect(config.route.routes).toEqual([
      { receiver: "oncall", matchers: ['severity=~"critical"'], continue: true },
      { receiver: "team", matchers: ['severity=~"critical|warning"'], continue: true },
      { receiver: "mail", matchers: ['severity=~"critical|warning|info"'], continue: true },
      { receiver: "hook", matchers: ['severity=~"info"'], continue: true },
    ]);
    expect(config.route.group_by).toEqual(["alertname", "cluster", "namespace"]);
  });

  it("maps each receiver type to its Alertmanager integration, with the secret fields in place", () => {
    const byName = Object.fromEntries(config.receivers.map((r: any) => [r.name, r]));
    expect(byName[NULL_RECEIVER]).toEqual({ name: NULL_RECEIVER });
    expect(byName.oncall.pagerduty_configs[0].routing_key).toBe("pd");
    expect(byName.team.slack_configs[0]).toMatchObject({
      api_url: "https://hooks.slack.com/x",
      channel: "#alerts",
    });
    expect(byName.mail.email_configs[0]).toMatchObject({
      to: "ops@example.com",
      smarthost: "smtp.example.com:587",
      auth_password: "pw",
      require_tls: true,
    });
    expect(byName.hook.webhook_configs[0].url).toBe("https://hooks.example.com/a");
  });

  it("lets a critical alert silence its lesser duplicates and an unreachable node its pods' alerts", () => {
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|info"'],
      equal: ["cluster", "namespace", "alertname"],
    });
    expect(config.inhibit_rules.map((r: any) => r.source_matchers[0])).toContain(
      'alertname="KubeNodeUnreachable"',
    );
  });

  it("with no receivers, still has a valid tree that drops everything", () => {
    const empty = alertmanagerConfig([]) as any;
    expect(empty.route.routes).toEqual([]);
    expect(empty.receivers).toEqual([{ name: NULL_RECEIVER }]);
  });
});
