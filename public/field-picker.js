// Which fields get a chart: by default the first few numeric fields of the device's messages; the user's choice is
// kept per device for this page.
import { $, h } from './dom.js';

/** Fields charted by default: enough for a household meter, not a 5,000 px page for a device with 30. */
export const DEFAULT_FIELDS = 4;

export class FieldPicker {
  /** @param {() => void} onChange called after the user changes the choice */
  constructor(onChange) {
    this.onChange = onChange;
    this.available = [];
    this.choices = new Map(); // deviceId → Set of names the user chose
    this.deviceId = null;
  }

  select(deviceId) {
    this.deviceId = deviceId;
    this.available = [];
    this.render();
  }

  /** Offers `names` (the numeric chart names seen, in message order); re-renders only when they change. */
  offer(names) {
    if (names.join('\u0000') === this.available.join('\u0000')) return;
    this.available = names;
    this.render();
  }

  /** The chosen names, in the order the device sends them. */
  chosen() {
    const choice = this.choices.get(this.deviceId);
    return choice ? this.available.filter((name) => choice.has(name)) : this.available.slice(0, DEFAULT_FIELDS);
  }

  render() {
    const chosen = new Set(this.chosen());
    const boxes = this.available.map((name) => {
      const input = h('input', { type: 'checkbox', checked: chosen.has(name), value: name, onchange: () => this.toggle() });
      return h('label', {}, input, name);
    });
    const legend = $('field-options').querySelector('legend');
    $('field-options').replaceChildren(legend, ...boxes);
    $('field-picker').querySelector('summary').textContent = `Fields (${chosen.size} of ${this.available.length})`;
  }

  toggle() {
    const checked = [...$('field-options').querySelectorAll('input:checked')].map((input) => input.value);
    this.choices.set(this.deviceId, new Set(checked));
    $('field-picker').querySelector('summary').textContent = `Fields (${checked.length} of ${this.available.length})`;
    this.onChange();
  }
}
