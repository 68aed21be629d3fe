// catalens storefront widget: <catalens-similar item="<item id>" key="<search key>" limit="8">
// Renders the items that look like an indexed item, with their thumbnails, titles, prices and
// links. Load it from the catalens API it talks to:
//   <script src="https://catalens.example.com/widget.js" defer></script>
// Attributes: item (catalens item id) or external-id (the merchant's id), key (an API key with
// only the `search` role: it is visible in the page), limit (1–24, default 8), api (base URL,
// default: where this script came from), link (URL template for a card, e.g.
// "/products/{externalId}"; default: the item's url, its attributes.url, when it has one).
(() => {
  const scriptUrl = document.currentScript ? new URL(document.currentScript.src) : new URL(location.href);
  const DEFAULT_API = scriptUrl.origin;
  const QUERY = `query($id: ID!, $n: Int!) { similarItems(itemId: $id, first: $n) {
    score item { id externalId title price currency url thumbnailUrl } } }`;
  const BY_EXTERNAL_ID = 'query($externalId: String!) { item(externalId: $externalId) { id } }';

  const STYLE = `
    :host { display: block; font: 14px/1.4 system-ui, sans-serif; color: inherit; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 12px; }
    a.card { display: block; color: inherit; text-decoration: none; }
    img { width: 100%; aspect-ratio: 1; object-fit: cover; border-radius: 6px; background: #f2f2f2; }
    .title { margin-top: 4px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .price { opacity: 0.7; }
    .status { opacity: 0.6; font-size: 13px; }`;

  /** Only http(s) links leave the widget: a catalog value never becomes javascript: or data:. */
  function safeUrl(value, base) {
    try {
      const url = new URL(String(value), base);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  class CatalensSimilar extends HTMLElement {
    static get observedAttributes() {
      return ['item', 'external-id', 'key', 'limit', 'api', 'link'];
    }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      this.generation = 0;
    }

    connectedCallback() {
      void this.render();
    }

    attributeChangedCallback() {
      if (this.isConnected) void this.render();
    }

    async gql(query, variables) {
      const api = this.getAttribute('api') || DEFAULT_API;
      const res = await fetch(`${api.replace(/\/$/, '')}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.getAttribute('key') || '' },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
      return body.data;
    }

    status(text) {
      this.root.innerHTML = '';
      const style = document.createElement('style');
      style.textContent = STYLE;
      const p = document.createElement('p');
      p.className = 'status';
      p.textContent = text;
      this.root.append(style, p);
    }

    async render() {
      const generation = ++this.generation;
      const limit = Math.min(24, Math.max(1, Number(this.getAttribute('limit')) || 8));
      if (!this.getAttribute('key')) return this.status('catalens-similar: set the key attribute');
      this.status('Loading similar items…');
      try {
        let id = this.getAttribute('item');
        const externalId = this.getAttribute('external-id');
        if (!id && externalId) {
          const found = await this.gql(BY_EXTERNAL_ID, { externalId });
          if (!found.item) throw new Error(`no item ${externalId}`);
          id = found.item.id;
        }
        if (!id) throw new Error('set the item or external-id attribute');
        const data = await this.gql(QUERY, { id, n: limit });
        if (generation !== this.generation) return; // attributes changed meanwhile
        this.show(data.similarItems);
      } catch (error) {
        if (generation !== this.generation) return;
        console.warn('catalens-similar:', error);
        this.status('Similar items are unavailable right now.');
      }
    }

    show(hits) {
      const style = document.createElement('style');
      style.textContent = STYLE;
      const grid = document.createElement('div');
      grid.className = 'grid';
      grid.setAttribute('part', 'grid');
      const template = this.getAttribute('link');
      for (const { item } of hits) {
        const card = document.createElement('a');
        card.className = 'card';
        card.setAttribute('part', 'card');
        card.dataset.itemId = item.id;
        const href = template
          ? safeUrl(
              template.replace('{externalId}', encodeURIComponent(item.externalId)).replace('{id}', item.id),
              location.href,
            )
          : item.url
            ? safeUrl(item.url, location.href)
            : null;
        if (href) card.href = href;
        const img = document.createElement('img');
        img.loading = 'lazy';
        img.alt = item.title;
        const src = item.thumbnailUrl && safeUrl(item.thumbnailUrl);
        if (src) img.src = src;
        const title = document.createElement('div');
        title.className = 'title';
        title.textContent = item.title;
        card.append(img, title);
        if (item.price !== null && item.price !== undefined) {
          const price = document.createElement('div');
          price.className = 'price';
          try {
            price.textContent = item.currency
              ? new Intl.NumberFormat(undefined, { style: 'currency', currency: item.currency }).format(
                  item.price,
                )
              : String(item.price);
          } catch {
            price.textContent = String(item.price);
          }
          card.append(price);
        }
        grid.append(card);
      }
      if (hits.length === 0) return this.status('No similar items yet.');
      this.root.innerHTML = '';
      this.root.append(style, grid);
    }
  }

  if (!customElements.get('catalens-similar')) customElements.define('catalens-similar', CatalensSimilar);
})();
