"""functools and itertools: reduce, partial, accumulate, groupby, chain,
product, permutations, combinations, islice, takewhile, zip_longest,
starmap, count/cycle/repeat bounded."""
import functools
import itertools
import operator


def main():
    out = []
    out.append(functools.reduce(operator.add, range(10)))
    out.append(functools.reduce(lambda a, b: a * b, [1, 2, 3, 4], 10))
    try:
        functools.reduce(operator.add, [])
    except TypeError as e:
        out.append("TypeError: " + str(e))
    p = functools.partial(int, base=2)
    out.append((p("1010"), p.keywords, p.func.__name__))
    out.append(list(itertools.accumulate([1, 2, 3, 4])))
    out.append(list(itertools.accumulate([3, 1, 4, 1, 5], max)))
    out.append([(k, list(g)) for k, g in itertools.groupby("aaabccdd")])
    out.append([(k, len(list(g))) for k, g in itertools.groupby(sorted([3, 1, 3, 2, 1]), key=lambda v: v % 2)])
    out.append(list(itertools.chain("ab", [1], (2,))))
    out.append(list(itertools.chain.from_iterable(["xy", "z"])))
    out.append(list(itertools.product("ab", range(2))))
    out.append(list(itertools.permutations("abc", 2)))
    out.append(list(itertools.combinations(range(4), 2)))
    out.append(list(itertools.combinations_with_replacement("ab", 2)))
    out.append(list(itertools.islice(itertools.count(5, 3), 4)))
    out.append(list(itertools.islice(itertools.cycle("xy"), 5)))
    out.append(list(itertools.repeat("r", 3)))
    out.append(list(itertools.takewhile(lambda v: v < 3, [1, 2, 3, 1])))
    out.append(list(itertools.dropwhile(lambda v: v < 3, [1, 2, 3, 1])))
    out.append(list(itertools.zip_longest("abc", [1], fillvalue="-")))
    out.append(list(itertools.starmap(pow, [(2, 3), (3, 2)])))
    out.append(list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])))
    out.append(list(itertools.filterfalse(lambda v: v % 2, range(6))))
    a, b = itertools.tee(iter([1, 2, 3]))
    out.append((list(a), list(b)))

    @functools.lru_cache(maxsize=2)
    def sq(v):
        return v * v
    out.append(([sq(i % 3) for i in range(6)], sq.cache_info()))
    out.append(functools.cmp_to_key(lambda x, y: y - x)(1) < functools.cmp_to_key(lambda x, y: y - x)(2))
    return out


for item in main():
    print(item)
