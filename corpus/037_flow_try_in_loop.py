"""try statements inside loops with continue/break in every clause."""


def parse_all(texts):
    out = []
    for t in texts:
        try:
            v = int(t)
        except ValueError:
            out.append("bad:" + t)
            continue
        else:
            if v < 0:
                break
        finally:
            out.append("f")
        out.append(v)
    return out


def retry(fail_times):
    attempts = 0
    while True:
        attempts += 1
        try:
            if attempts <= fail_times:
                raise ConnectionError("attempt %d" % attempts)
            result = "success after %d" % attempts
        except ConnectionError as e:
            if attempts >= 4:
                result = "gave up: %s" % e
                break
            continue
        break
    return result


def nested_try_loops():
    log = []
    for i in range(3):
        try:
            for j in range(3):
                try:
                    if j == i:
                        raise IndexError((i, j))
                    log.append((i, j))
                except IndexError as e:
                    log.append("inner %s" % (e.args[0],))
                    if i == 2:
                        raise
        except IndexError:
            log.append("outer")
    return log


def except_in_while_else(n):
    i = 0
    while i < n:
        try:
            i += 1
            if i == 100:
                raise StopIteration
        except StopIteration:
            break
    else:
        return "else after %d" % i
    return "broke at %d" % i


def main():
    return (parse_all(["1", "x", "2", "-3", "4"]), retry(0), retry(2), retry(9), nested_try_loops(),
            except_in_while_else(3), except_in_while_else(200))


print(parse_all(["10", "", "20"]))
print(retry(1), retry(3), retry(5))
print(nested_try_loops())
print(except_in_while_else(0), except_in_while_else(150))
