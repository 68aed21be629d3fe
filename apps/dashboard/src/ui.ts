/** Styles and small templates every dashboard view shares. */
import { css, html, nothing } from 'lit';
import { ApiError, type Item } from './api';

export const shared = css`
  :host {
    display: block;
    font:
      14px/1.45 system-ui,
      sans-serif;
    color: #1d1d1f;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
    gap: 14px;
  }
  .card {
    display: block;
    color: inherit;
    text-decoration: none;
  }
  .card img,
  .hero {
    width: 100%;
    aspect-ratio: 1;
    object-fit: cover;
    border-radius: 6px;
    background: #eee;
  }
  .muted {
    color: #6e6e73;
    font-size: 12px;
  }
  .error {
    color: #b00020;
  }
  button {
    font: inherit;
    padding: 4px 10px;
    border-radius: 6px;
    border: 1px solid #c7c7cc;
    background: #fff;
    cursor: pointer;
  }
  button.on {
    background: #1d1d1f;
    color: #fff;
  }
  input,
  select {
    font: inherit;
    padding: 5px 8px;
    border-radius: 6px;
    border: 1px solid #c7c7cc;
  }
`;

export const describeError = (error: unknown): string =>
  error instanceof ApiError && error.code === 'UNAUTHENTICATED'
    ? 'The API key was refused: enter it again.'
    : error instanceof Error
      ? error.message
      : String(error);

/** One product card: thumbnail, title, status; links to the item page. */
export const card = (item: Item, extra: unknown = nothing) => html`
  <a class="card" href="#/item/${item.id}" data-item-id=${item.id}>
    <img src=${item.thumbnailUrl ?? ''} alt=${item.title} loading="lazy" />
    <div class="title">${item.title}</div>
    <div class="muted">${item.category ?? '—'} · ${item.status.toLowerCase()}</div>
    ${extra}
  </a>
`;
