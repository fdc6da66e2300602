import { afterEach, describe, expect, it, vi } from 'vitest';
import { skipWithoutTool } from '../support/required-tool.js';

const saved = { REQUIRE_TOOLS: process.env.REQUIRE_TOOLS, REQUIRE_X: process.env.REQUIRE_X };
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  vi.restoreAllMocks();
});

describe('skipWithoutTool', () => {
  const options = { uses: 'the x tests', install: 'apt-get install x', requireKey: 'REQUIRE_X' };

  it('runs a suite whose binary exists', () => {
    process.env.REQUIRE_TOOLS = '1';
    expect(skipWithoutTool(process.execPath, options)).toBe(false);
  });

  it('skips with a note naming the package when the binary is missing', () => {
    delete process.env.REQUIRE_TOOLS;
    delete process.env.REQUIRE_X;
    const notes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (notes.push(String(chunk)), true));
    expect(skipWithoutTool('/nonexistent/x', options)).toBe(true);
    expect(notes).toEqual(['note: /nonexistent/x is not installed, so the x tests are skipped (apt-get install x runs them; CI requires them)\n']);
  });

  it('fails instead with REQUIRE_TOOLS=1 or the tool’s own key', () => {
    process.env.REQUIRE_TOOLS = '1';
    expect(() => skipWithoutTool('/nonexistent/x', options)).toThrow(
      '/nonexistent/x is missing: install it (apt-get install x); REQUIRE_TOOLS=1 makes the tests that need it fail instead of skip',
    );
    delete process.env.REQUIRE_TOOLS;
    process.env.REQUIRE_X = '1';
    expect(() => skipWithoutTool('/nonexistent/x', options)).toThrow(/is missing/);
  });
});
