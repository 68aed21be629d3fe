import 'reflect-metadata';
import { runMain } from '@catalens/observability';
import { loadEmbedderConfig } from './config';
import { embedderApp } from './embedder.app';

runMain('embedder', loadEmbedderConfig, (config) => embedderApp(config));
