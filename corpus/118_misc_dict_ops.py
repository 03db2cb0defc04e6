"""dict operations: insertion order, update/setdefault/pop/popitem,
views and their set operations (printed sorted), deletion during
iteration (RuntimeError), comparison, fromkeys, copy semantics."""


def main():
    out = []
    d = {"b": 1, "a": 2}
    d["c"] = 3
    d["b"] = 10
    out.append(list(d.items()))
    del d["b"]
    d["b"] = 4
    out.append(list(d))
    out.append((d.get("z"), d.get("z", 0), d.setdefault("a", 99), d.setdefault("n", []), d.pop("c"), d.pop("zz", "none")))
    try:
        d.pop("zz")
    except KeyError as e:
        out.append("KeyError: %s" % e)
    out.append(d.popitem())
    d.update({"x": 1}, y=2)
    d.update([("z", 3)])
    out.append(d)
    keys = d.keys()
    d["late"] = 0
    out.append(("view sees later insert", "late" in keys, len(keys)))
    out.append((sorted(keys & {"x", "q"}), sorted(keys | {"q"}), sorted(keys - {"x"}), sorted(d.items())[:2]))
    try:
        for k in d:
            d["new-" + k] = 1
    except RuntimeError as e:
        out.append("RuntimeError: " + str(e))
    out.append(({1: 2} == {1: 2.0}, {1: 2, 3: 4} == {3: 4, 1: 2}, list({1: 2, 3: 4}) == list({3: 4, 1: 2})))
    out.append(dict.fromkeys("aba", 0))
    nested = {"k": [1]}
    shallow = dict(nested)
    shallow["k"].append(2)
    out.append((nested, shallow is nested))
    out.append({**{"a": 1}, **{"a": 2, "b": 3}})
    out.append(dict(zip("ab", [1, 2])))
    out.append(list(reversed({"p": 1, "q": 2})) if hasattr(dict, "__reversed__") else "n/a")
    return out


for item in main():
    print(item)
