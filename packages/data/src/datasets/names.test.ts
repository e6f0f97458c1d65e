import { describe, expect, it } from 'vitest';
import { names } from './names';

describe('names', () => {
  it('lists female and male first names from the bundled stdlib data', async () => {
    const female = await (await names({ sex: 'female' })).toArray();
    const male = await (await names({ sex: 'male' })).toArray();
    expect(female.length).toBeGreaterThan(4000);
    expect(male.length).toBeGreaterThan(2500);
    expect(female.every((n) => n.sex === 'female' && /^[A-Z]/.test(n.name))).toBe(true);
    expect((await names()).size).toBe(female.length + male.length);
    await expect(names({ sex: 'x' as never })).rejects.toThrow(/sex must be/);
  });
});
