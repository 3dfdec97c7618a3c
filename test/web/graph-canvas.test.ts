import { describe, expect, it } from 'vitest';
import { chooseRenderer } from '../../web/src/graph-canvas.js';

describe('renderer choice', () => {
  const big = { nodeCount: 5000, webglMinNodes: 1500 };
  it('uses WebGL on a GPU for big graphs, canvas for small ones', () => {
    expect(chooseRenderer({ forced: null, support: 'gpu', ...big })).toBe('webgl');
    expect(chooseRenderer({ forced: null, support: 'gpu', nodeCount: 200, webglMinNodes: 1500 })).toBe('canvas');
  });
  it('never picks software WebGL by itself, and falls back to canvas without WebGL', () => {
    expect(chooseRenderer({ forced: null, support: 'software', ...big })).toBe('canvas');
    expect(chooseRenderer({ forced: null, support: 'none', ...big })).toBe('canvas');
    expect(chooseRenderer({ forced: 'webgl', support: 'none', ...big })).toBe('canvas');
  });
  it('follows ?renderer= when the browser can', () => {
    expect(chooseRenderer({ forced: 'webgl', support: 'software', nodeCount: 10, webglMinNodes: 1500 })).toBe('webgl');
    expect(chooseRenderer({ forced: 'canvas', support: 'gpu', ...big })).toBe('canvas');
  });
});
