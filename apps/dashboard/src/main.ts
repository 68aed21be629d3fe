import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { ITEM_FIELDS, apiKey, gql, type Item, type Tag } from './api';
import { card, describeError, shared } from './ui';
import './ingest-view';
import './map-view';
import './heads-view';

/** Catalog grid: newest items, or a text search in one of three modes, with filters. */
class CatalogView extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        margin-bottom: 16px;
      }
      input[type='search'] {
        flex: 1;
        min-width: 220px;
      }
    `,
  ];
  static override properties = {
    items: { state: true },
    error: { state: true },
    mode: { state: true },
    terms: { state: true },
    shown: { state: true },
  };
  items: { item: Item; matched?: string[] }[] = [];
  /** What the grid shows (`mode:text`, or empty for the newest items): set once results arrived. */
  shown = '';
  error = '';
  mode = 'HYBRID';
  terms = '';
  private text = '';
  private category = '';
  private status = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.error = '';
    try {
      const filter = this.category ? { categories: [this.category] } : undefined;
      if (this.text.trim()) {
        const data = await gql<{
          searchImages: { hits: { item: Item; matchedTerms: string[] }[]; unknownWords: string[] };
        }>(
          `query($t: String!, $m: SearchMode!, $f: SearchFilter) { searchImages(text: $t, mode: $m, first: 48, filter: $f) {
            hits { matchedTerms item { ${ITEM_FIELDS} } } unknownWords } }`,
          { t: this.text, m: this.mode, f: filter },
        );
        this.items = data.searchImages.hits.map((h) => ({ item: h.item, matched: h.matchedTerms }));
        this.shown = `${this.mode}:${this.text}`;
        this.terms = data.searchImages.unknownWords.length
          ? `Not understood: ${data.searchImages.unknownWords.join(', ')}`
          : '';
      } else {
        const data = await gql<{ items: { edges: { node: Item }[]; totalCount: number } }>(
          `query($f: ItemFilter) { items(first: 48, filter: $f) { totalCount edges { node { ${ITEM_FIELDS} } } } }`,
          {
            f: {
              ...(this.category ? { category: this.category } : {}),
              ...(this.status ? { status: this.status } : {}),
            },
          },
        );
        this.items = data.items.edges.map((e) => ({ item: e.node }));
        this.shown = '';
        this.terms = `${data.items.totalCount} items`;
      }
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private readonly submit = (event: Event): void => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    this.text = field('q');
    this.category = field('category');
    this.status = field('status');
    void this.load();
  };

  override render() {
    return html`
      <form @submit=${this.submit}>
        <input type="search" name="q" placeholder="Search: red summer dress" aria-label="search" />
        ${['SEMANTIC', 'KEYWORD', 'HYBRID'].map(
          (m) =>
            html`<button
              type="button"
              class=${m === this.mode ? 'on' : ''}
              @click=${() => {
                this.mode = m;
                void this.load();
              }}
            >
              ${m.toLowerCase()}
            </button>`,
        )}
        <input name="category" placeholder="category" aria-label="category" size="10" />
        <select name="status" aria-label="status">
          <option value="">any status</option>
          ${['INDEXED', 'QUEUED', 'RECEIVED', 'FAILED'].map((s) => html`<option value=${s}>${s.toLowerCase()}</option>`)}
        </select>
        <button type="submit">Search</button>
      </form>
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      <p class="muted">${this.terms}</p>
      <div class="grid" data-shown=${this.shown}>
        ${this.items.map(({ item, matched }) =>
          card(
            item,
            matched?.length ? html`<div class="muted">matched: ${matched.join(', ')}</div>` : nothing,
          ),
        )}
      </div>
    `;
  }
}

/** One item: image, tags with score bars and decisions, similar items. */
class ItemView extends LitElement {
  static override styles = [
    shared,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(200px, 340px) 1fr;
        gap: 24px;
      }
      .tag {
        display: grid;
        grid-template-columns: 140px 1fr auto;
        gap: 8px;
        align-items: center;
        padding: 3px 0;
      }
      .bar {
        height: 6px;
        background: #e5e5ea;
        border-radius: 3px;
      }
      .bar span {
        display: block;
        height: 100%;
        background: #0a84ff;
        border-radius: 3px;
      }
      .REJECTED .word {
        text-decoration: line-through;
        color: #8e8e93;
      }
      .ACCEPTED .word {
        font-weight: 600;
      }
    `,
  ];
  static override properties = {
    itemId: { type: String },
    item: { state: true },
    similar: { state: true },
    error: { state: true },
  };
  itemId = '';
  item: Item | null = null;
  similar: Item[] = [];
  error = '';

  override updated(changed: PropertyValues): void {
    if (changed.has('itemId')) void this.load();
  }

  private async load(): Promise<void> {
    this.error = '';
    try {
      const data = await gql<{ item: Item | null }>(
        `query($id: ID) { item(id: $id) { ${ITEM_FIELDS} tags { word score source state } } }`,
        { id: this.itemId },
      );
      this.item = data.item;
      if (!data.item) return;
      const similar = await gql<{ similarItems: { item: Item }[] }>(
        `query($id: ID!) { similarItems(itemId: $id, first: 8) { item { ${ITEM_FIELDS} } } }`,
        { id: this.itemId },
      ).catch(() => ({ similarItems: [] }));
      this.similar = similar.similarItems.map((s) => s.item);
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private async decide(mutation: 'acceptTags' | 'rejectTags' | 'addTags', words: string[]): Promise<void> {
    try {
      await gql(
        `mutation($ids: [ID!]!, $w: [String!]!) { ${mutation}(itemIds: $ids, words: $w) { changed } }`,
        { ids: [this.itemId], w: words },
      );
      await this.load();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private tagRow(tag: Tag) {
    return html`<div class="tag ${tag.state}" data-word=${tag.word} data-state=${tag.state}>
      <span class="word"
        >${tag.word}${tag.source === 'MANUAL' ? html` <span class="muted">manual</span>` : nothing}</span
      >
      <span class="bar" title=${tag.score === null ? 'no score' : tag.score.toFixed(3)}
        ><span style="width:${Math.max(0, Math.min(1, tag.score ?? 1)) * 100}%"></span
      ></span>
      <span>
        ${
          tag.state !== 'ACCEPTED'
            ? html`<button @click=${() => this.decide('acceptTags', [tag.word])}>accept</button>`
            : nothing
        }
        ${
          tag.state !== 'REJECTED'
            ? html`<button @click=${() => this.decide('rejectTags', [tag.word])}>reject</button>`
            : nothing
        }
      </span>
    </div>`;
  }

  private readonly add = (event: Event): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('word') as HTMLInputElement;
    if (input.value.trim()) void this.decide('addTags', [input.value]);
    input.value = '';
  };

  override render() {
    if (this.error) return html`<p class="error">${this.error}</p>`;
    if (!this.item) return html`<p class="muted">Loading…</p>`;
    const item = this.item;
    return html`
      <p><a href="#/">← catalog</a></p>
      <div class="layout">
        <div>
          <img class="hero" src=${item.thumbnailUrl ?? ''} alt=${item.title} />
          <h2>${item.title}</h2>
          <p class="muted">${item.externalId} · ${item.category ?? '—'} · ${item.status.toLowerCase()}</p>
        </div>
        <div>
          <h3>Tags</h3>
          ${(item.tags ?? []).map((t) => this.tagRow(t))}
          <form @submit=${this.add}>
            <input name="word" placeholder="add a tag" aria-label="add a tag" />
            <button type="submit">add</button>
          </form>
          <h3>Similar items</h3>
          <div class="grid">${this.similar.map((s) => card(s))}</div>
        </div>
      </div>
    `;
  }
}

/**
 * Review queue: automatic tags least confident first. j/k move, x selects, a/r accept or reject
 * the selected rows (or the current one); "Accept selected" and "Reject selected" do it in bulk.
 */
class ReviewView extends LitElement {
  static override styles = [
    shared,
    css`
      table {
        border-collapse: collapse;
        width: 100%;
      }
      td {
        padding: 4px 8px;
        border-bottom: 1px solid #e5e5ea;
      }
      tr.current {
        background: #eef5ff;
      }
      img {
        width: 48px;
        height: 48px;
        object-fit: cover;
        border-radius: 4px;
      }
      .actions {
        display: flex;
        gap: 8px;
        margin-bottom: 12px;
      }
    `,
  ];
  static override properties = {
    rows: { state: true },
    selected: { state: true },
    current: { state: true },
    error: { state: true },
  };
  rows: { item: Item; word: string; score: number | null }[] = [];
  selected = new Set<number>();
  current = 0;
  error = '';
  private readonly keys = (event: KeyboardEvent) => this.onKey(event);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.keys);
    void this.load();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.keys);
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    try {
      const data = await gql<{ reviewQueue: { item: Item; word: string; score: number | null }[] }>(
        `{ reviewQueue(first: 50) { word score item { ${ITEM_FIELDS} } } }`,
      );
      this.rows = data.reviewQueue;
      this.selected = new Set();
      this.current = Math.min(this.current, Math.max(0, this.rows.length - 1));
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private async decide(accept: boolean): Promise<void> {
    const picked = this.selected.size ? [...this.selected] : [this.current];
    // One mutation per word, each over all the items that have it selected.
    const byWord = new Map<string, string[]>();
    for (const i of picked) {
      const row = this.rows[i];
      if (row) byWord.set(row.word, [...(byWord.get(row.word) ?? []), row.item.id]);
    }
    try {
      for (const [word, ids] of byWord)
        await gql(
          `mutation($ids: [ID!]!, $w: [String!]!) { ${accept ? 'acceptTags' : 'rejectTags'}(itemIds: $ids, words: $w) { changed } }`,
          { ids, w: [word] },
        );
      await this.load();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private toggle(i: number): void {
    const next = new Set(this.selected);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    this.selected = next;
  }

  private onKey(event: KeyboardEvent): void {
    if ((event.target as HTMLElement | null)?.tagName === 'INPUT' && event.key !== 'Escape') return;
    if (event.key === 'j') this.current = Math.min(this.rows.length - 1, this.current + 1);
    else if (event.key === 'k') this.current = Math.max(0, this.current - 1);
    else if (event.key === 'x') this.toggle(this.current);
    else if (event.key === 'a') void this.decide(true);
    else if (event.key === 'r') void this.decide(false);
  }

  override render() {
    return html`
      <p class="muted">Least confident first. Keys: j/k move · x select · a accept · r reject.</p>
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      <div class="actions">
        <button @click=${() => (this.selected = new Set(this.rows.map((_, i) => i)))}>Select all</button>
        <button @click=${() => this.decide(true)}>Accept selected</button>
        <button @click=${() => this.decide(false)}>Reject selected</button>
        <span class="muted">${this.selected.size} selected</span>
      </div>
      <table>
        ${this.rows.map(
          (row, i) =>
            html`<tr class=${i === this.current ? 'current' : ''} data-word=${row.word}>
              <td>
                <input type="checkbox" .checked=${this.selected.has(i)} @change=${() => this.toggle(i)} />
              </td>
              <td><img src=${row.item.thumbnailUrl ?? ''} alt="" /></td>
              <td><a href="#/item/${row.item.id}">${row.item.title}</a></td>
              <td><b>${row.word}</b></td>
              <td class="muted">${row.score === null ? '—' : row.score.toFixed(3)}</td>
            </tr>`,
        )}
      </table>
      ${this.rows.length === 0 ? html`<p class="muted">Nothing to review.</p>` : nothing}
    `;
  }
}

/** Shell: API key prompt, navigation, hash routes (#/, #/item/<id>, #/review, #/ingest, #/map). */
class CatalensApp extends LitElement {
  static override styles = [
    shared,
    css`
      header {
        display: flex;
        gap: 16px;
        align-items: center;
        padding: 12px 20px;
        border-bottom: 1px solid #e5e5ea;
      }
      header a {
        color: inherit;
      }
      main {
        padding: 20px;
      }
      .brand {
        font-weight: 700;
      }
    `,
  ];
  static override properties = { route: { state: true }, hasKey: { state: true } };
  route = location.hash;
  hasKey = apiKey.get() !== '';
  private readonly onHash = () => (this.route = location.hash);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  private readonly saveKey = (event: Event): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement;
    apiKey.set(input.value);
    this.hasKey = apiKey.get() !== '';
  };

  private page() {
    const item = /^#\/item\/([0-9a-f-]{36})$/.exec(this.route);
    if (item) return html`<item-view .itemId=${item[1]}></item-view>`;
    if (this.route === '#/review') return html`<review-view></review-view>`;
    if (this.route === '#/ingest') return html`<ingest-view></ingest-view>`;
    if (this.route === '#/map') return html`<map-view></map-view>`;
    if (this.route === '#/heads') return html`<heads-view></heads-view>`;
    return html`<catalog-view></catalog-view>`;
  }

  override render() {
    if (!this.hasKey)
      return html`<main>
        <h1>catalens</h1>
        <form @submit=${this.saveKey}>
          <p>Enter an API key with the <b>curate</b> role (it stays in this browser).</p>
          <input name="key" type="password" size="60" aria-label="API key" placeholder="clk_…" />
          <button type="submit">Continue</button>
        </form>
      </main>`;
    return html`
      <header>
        <span class="brand">catalens</span>
        <a href="#/">Catalog</a>
        <a href="#/review">Review queue</a>
        <a href="#/ingest">Add items</a>
        <a href="#/map">Embedding map</a>
        <a href="#/heads">Semantic head</a>
        <span style="flex:1"></span>
        <button
          @click=${() => {
            apiKey.clear();
            this.hasKey = false;
          }}
        >
          Change key
        </button>
      </header>
      <main>${this.page()}</main>
    `;
  }
}

customElements.define('catalog-view', CatalogView);
customElements.define('item-view', ItemView);
customElements.define('review-view', ReviewView);
customElements.define('catalens-app', CatalensApp);
