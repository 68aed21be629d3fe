import { LitElement, css, html, nothing, svg } from 'lit';
import { ITEM_FIELDS, gql, type Item } from './api';
import { describeError, shared } from './ui';

interface MapPoint {
  x: number;
  y: number;
  label: string;
  item: Item;
}
interface EmbeddingMap {
  points: MapPoint[];
  labels: string[];
  sampled: number;
  explainedVariance: number;
}

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const OTHER = '#c7c7cc';
const W = 900;
const H = 560;
const M = 24;

/**
 * Embedding map: the semantic vectors of the catalog projected to 2-D (PCA, computed by the API),
 * coloured by category or tag; hovering a point shows the photo, a click opens the item.
 */
export class MapView extends LitElement {
  static override styles = [
    shared,
    css`
      .plot {
        position: relative;
      }
      svg {
        width: 100%;
        max-width: ${W}px;
        height: auto;
        border: 1px solid #e5e5ea;
        border-radius: 8px;
      }
      circle {
        cursor: pointer;
      }
      circle:hover {
        stroke: #1d1d1f;
        stroke-width: 2;
      }
      .tip {
        position: absolute;
        pointer-events: none;
        background: #fff;
        border: 1px solid #c7c7cc;
        border-radius: 6px;
        padding: 6px;
        width: 140px;
        box-shadow: 0 2px 8px rgb(0 0 0 / 15%);
      }
      .tip img {
        width: 100%;
        border-radius: 4px;
      }
      .legend span {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        margin-right: 12px;
      }
      .legend i {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        display: inline-block;
      }
    `,
  ];
  static override properties = {
    colorBy: { state: true },
    map: { state: true },
    hover: { state: true },
    error: { state: true },
  };
  colorBy: 'CATEGORY' | 'TAG' = 'CATEGORY';
  map: EmbeddingMap | undefined;
  hover: { point: MapPoint; left: number; top: number } | undefined;
  error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.error = '';
    try {
      const data = await gql<{ embeddingMap: EmbeddingMap }>(
        `query($colorBy: MapColor!) { embeddingMap(colorBy: $colorBy, maxPoints: 2000) {
          labels sampled explainedVariance points { x y label item { ${ITEM_FIELDS} } } } }`,
        { colorBy: this.colorBy },
      );
      this.map = data.embeddingMap;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private color(label: string): string {
    const i = this.map?.labels.indexOf(label) ?? -1;
    return i >= 0 && i < PALETTE.length ? PALETTE[i] : OTHER;
  }

  private plot(map: EmbeddingMap) {
    const xs = map.points.map((p) => p.x);
    const ys = map.points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x: number) => M + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * M);
    const sy = (y: number) => H - M - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * M);
    return svg`${map.points.map(
      (p) => svg`<circle
        cx=${sx(p.x).toFixed(1)} cy=${sy(p.y).toFixed(1)} r="5" fill=${this.color(p.label)} fill-opacity="0.85"
        data-item-id=${p.item.id}
        @mouseenter=${(e: MouseEvent) => {
          const box = (e.currentTarget as SVGCircleElement).ownerSVGElement!.getBoundingClientRect();
          this.hover = { point: p, left: e.clientX - box.left + 12, top: e.clientY - box.top + 12 };
        }}
        @mouseleave=${() => (this.hover = undefined)}
        @click=${() => (location.hash = `#/item/${p.item.id}`)}
      ></circle>`,
    )}`;
  }

  override render() {
    const map = this.map;
    return html`
      <h2>Embedding map</h2>
      <p class="muted">
        Every indexed item's semantic vector (its meaning in word-vector space), flattened to two axes by PCA:
        items that mean alike lie close. A colour that spreads everywhere is a category the model does not
        tell apart.
      </p>
      <label
        >Colour by
        <select
          aria-label="Colour by"
          @change=${(e: Event) => {
            this.colorBy = (e.target as HTMLSelectElement).value as 'CATEGORY' | 'TAG';
            void this.load();
          }}
        >
          <option value="CATEGORY">category</option>
          <option value="TAG">first tag</option>
        </select></label
      >
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${
        !map
          ? html`<p class="muted">Loading…</p>`
          : map.points.length < 2
            ? html`<p class="muted">Nothing indexed yet: the map needs at least two items.</p>`
            : html`<p class="muted" data-map-summary>
                  ${map.points.length} items · the two axes show ${Math.round(map.explainedVariance * 100)}%
                  of the vectors' variance
                </p>
                <div class="legend">
                  ${map.labels.slice(0, PALETTE.length).map((l) => html`<span><i style="background:${this.color(l)}"></i>${l}</span>`)}
                  ${map.labels.length > PALETTE.length ? html`<span><i style="background:${OTHER}"></i>other</span>` : nothing}
                </div>
                <div class="plot">
                  <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Embedding map">${this.plot(map)}</svg>
                  ${
                    this.hover
                      ? html`<div
                          class="tip"
                          style="left:${this.hover.left}px;top:${this.hover.top}px"
                          data-tip
                        >
                          <img src=${this.hover.point.item.thumbnailUrl ?? ''} alt="" />
                          <div>${this.hover.point.item.title}</div>
                          <div class="muted">${this.hover.point.label}</div>
                        </div>`
                      : nothing
                  }
                </div>`
      }
    `;
  }
}

customElements.define('map-view', MapView);
