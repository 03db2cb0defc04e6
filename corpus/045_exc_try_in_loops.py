"""Nested try statements inside loops; exceptions crossing loop boundaries;
handlers that modify the loop variable."""


def accumulate(values):
    total = 0
    errors = []
    for v in values:
        try:
            try:
                total += 100 // v
            except ZeroDivisionError:
                errors.append("zero")
                total += 1000
            finally:
                total += 1
        except TypeError as e:
            errors.append(type(e).__name__)
    return total, errors


def while_with_handlers(data):
    i = 0
    out = []
    while i < len(data):
        try:
            item = data[i]
            if item == "skip":
                i += 2
                continue
            out.append(int(item))
        except ValueError:
            out.append(None)
        except IndexError:
            break
        finally:
            i += 1
    return out, i


def exception_ends_loop(n):
    log = []
    try:
        for i in range(n):
            log.append(i)
            if i == 3:
                raise StopIteration("manual")
    except StopIteration as e:
        log.append("stopped: %s" % e)
    else:
        log.append("completed")
    return log


def generator_loop_exceptions():
    def gen():
        for i in range(5):
            if i == 2:
                try:
                    yield "two"
                except GeneratorExit:
                    raise
            else:
                yield i

    return [x for x in gen()]


def many_handler_types(objs):
    out = []
    for o in objs:
        try:
            out.append(len(o) + o[0])
        except (TypeError, KeyError) as e:
            out.append("TK:" + type(e).__name__)
        except IndexError:
            out.append("I")
        except Exception as e:
            out.append("E:" + type(e).__name__)
    return out


def main():
    return (accumulate([1, 0, "x", 5, 0]), while_with_handlers(["1", "x", "skip", "9", "3"]),
            exception_ends_loop(2), exception_ends_loop(10), generator_loop_exceptions(),
            many_handler_types([[1, 2], (), 5, {"a": 1}, {0: 3}, "ab"]))


print(accumulate([2, 0, 4, None]))
print(while_with_handlers(["5", "skip", "x", "7", "y", "8"]))
print(exception_ends_loop(3), exception_ends_loop(6))
print(generator_loop_exceptions())
print(many_handler_types([[3], [], None, {}, {0: 1}]))
