// Which hidden unit's heat-map is shown: hovering over a unit in the network diagram shows it while
// the pointer stays, a click keeps it (a second click lets go), and the "Heat-map of" choice does
// the same for keyboards and for units the diagram sums up as "+ n".

import { viewKey } from './heatmap.js';

const parseView = value => {
  if (!value) return null;
  const [layer, unit] = value.split(':').map(Number);
  return { layer, unit: unit - 1 };
};

export class UnitPicker {
  /** select: the "Heat-map of" choice; canvas: the diagram's; diagram: NetworkDiagram; heatmap: HeatMap. */
  constructor(select, canvas, diagram, heatmap) {
    this.select = select;
    this.diagram = diagram;
    this.heatmap = heatmap;
    this.pinned = null;
    const under = event => {
      const box = canvas.getBoundingClientRect();
      return diagram.unitAt(event.clientX - box.left, event.clientY - box.top);
    };
    canvas.addEventListener('mousemove', event => {
      const unit = under(event);
      canvas.style.cursor = unit ? 'pointer' : '';
      this.show(unit || this.pinned);
    });
    canvas.addEventListener('mouseleave', () => this.show(this.pinned));
    canvas.addEventListener('click', event => {
      const unit = under(event);
      this.pin(unit && viewKey(unit) === viewKey(this.pinned) ? null : unit);
    });
    select.addEventListener('change', () => this.pin(parseView(select.value)));
  }

  /** The choices for this network: the output, then every hidden unit (at most 64 a layer). */
  render(editor) {
    const keep = this.select.value;
    const options = [new Option("the network's output", '')];
    editor.spec().slice(0, -1).forEach((layer, l) => {
      for (let u = 0; u < Math.min(layer.units || 0, 64); u++) {
        options.push(new Option(`hidden ${l + 1} · unit ${u + 1} (${layer.activation})`, `${l + 1}:${u + 1}`));
      }
    });
    this.select.replaceChildren(...options);
    this.select.value = options.some(o => o.value === keep) ? keep : '';
    if (this.select.value !== keep) this.pin(null);
  }

  /** Shows this view (null: the output) until another is chosen. */
  pin(view) {
    this.pinned = view;
    this.select.value = view ? viewKey(view) : '';
    this.show(view);
  }

  show(view) {
    this.diagram.highlight(view);
    this.heatmap.setView(view);
  }
}
