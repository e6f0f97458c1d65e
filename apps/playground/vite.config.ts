import { defineConfig } from 'vite';
import { playgroundConfig } from './config.ts';

export default defineConfig(playgroundConfig());
