import { IsString } from 'class-validator';
import { ApiError } from './api-error';
import { ArrayBodyPipe } from './array-body.pipe';

class Item {
  @IsString() name: string;
}

const pipe = new ArrayBodyPipe(Item, 'item', 3);
const fields = async (body: unknown) => {
  try {
    await pipe.transform(body);
    return [];
  } catch (e) {
    return (e as ApiError).items.map((i) => i.field_name);
  }
};

describe('ArrayBodyPipe', () => {
  it('answers instances; an unknown field is refused naming it, never stripped', async () => {
    const out = await pipe.transform([{ name: 'a' }, { name: 'b' }]);
    expect(out).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(out[0]).toBeInstanceOf(Item);
    expect(await fields([{ name: 'a' }, { name: 'b', extra: 1 }])).toEqual(['[1].extra']);
  });

  it('names each item at fault by its index, arrays of arrays included', async () => {
    expect(await fields([[]])).toEqual(['[0]']);
    expect(await fields([{ name: 'a' }, null, { name: 5 }])).toEqual(['[1]', '[2].name']);
    expect(await fields([{ name: 'a' }, [{ name: 'b' }]])).toEqual(['[1]']);
  });

  it('drops __proto__ and constructor keys as a body would', async () => {
    const item = JSON.parse('{"name": "a", "__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}');
    const [out] = await pipe.transform([item]);
    expect(out).toEqual({ name: 'a' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses what is not a non-empty array of at most max items as a whole', async () => {
    expect(await fields({ name: 'a' })).toEqual(['body']);
    expect(await fields([])).toEqual(['body']);
    expect(await fields([{ name: 'a' }, { name: 'a' }, { name: 'a' }, { name: 'a' }])).toEqual(['body']);
  });
});
