// The header's two states, shown at all times: the page's connection to the gateway, and the gateway's to the hub.
import { gatewayWords, hubWords } from './connection-words.js';
import { $ } from './dom.js';

export class ConnectionView {
  /** @param {{ retryNow: () => void }} actions */
  constructor(actions) {
    this.gateway = { state: 'offline', why: 'stopped' };
    this.hub = { state: 'unknown', reason: null };
    this.hubStamp = 0; // bumps on every pushed hub status, so an older /readyz answer never overwrites it
    $('retry-now').addEventListener('click', () => actions.retryNow());
  }

  /** True while the page's view of the gateway is current. */
  get online() {
    return this.gateway.state === 'connected';
  }

  setGateway(gateway) {
    this.gateway = gateway;
    this.render();
  }

  /** A hub-wide `status` message: `status` is the hub consumer's state. */
  setHubStatus(message) {
    this.hubStamp += 1;
    this.hub = { state: message.status, reason: message.reason };
    this.render();
  }

  /** `/readyz`'s answer, unless a pushed status arrived since `stamp` (taken before asking). */
  setReadiness(answer, stamp) {
    if (stamp !== this.hubStamp || !answer) return;
    this.hub = { state: answer.hubState ?? 'unknown', reason: answer.reason };
    this.render();
  }

  render() {
    const retryInS = this.gateway.retryAt ? Math.max(0, Math.ceil((this.gateway.retryAt - Date.now()) / 1000)) : 0;
    const gateway = gatewayWords({ ...this.gateway, retryInS });
    const hub = hubWords(this.hub.state, this.hub.reason);
    const badge = $('gateway-state');
    badge.dataset.state = this.gateway.state;
    badge.textContent = gateway.label;
    const hubBadge = $('hub-state');
    hubBadge.dataset.state = this.hub.state;
    hubBadge.dataset.current = String(this.online);
    hubBadge.dataset.reason = this.hub.reason ?? '';
    hubBadge.textContent = this.online || this.hub.state === 'unknown' ? hub.label : `${hub.label} (last known)`;
    const reason = $('hub-reason');
    const lines = [gateway.detail, hub.detail].filter(Boolean).join(' ');
    reason.textContent = lines;
    $('hub-reason-code').textContent = this.hub.state !== 'connected' && this.hub.reason ? this.hub.reason : '';
    $('retry-now').hidden = this.gateway.state !== 'reconnecting';
    document.body.dataset.gateway = this.gateway.state;
  }
}
