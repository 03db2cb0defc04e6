def branches(b):
    if b[0]:
        if b[1]:
            return 'a'
        else:
            return 'b'
    elif b[2]:
        return 'c'
    return 'd'


def empty_try():
    try:
        pass
    except ValueError:
        return 1
    return 2


def after_finally(x):
    try:
        return x
    finally:
        x = None


def loop(n):
    while True:
        if n > 3:
            break
        n += 1
    else:
        return -1
    return n


print(branches((1, 0, 0)), branches((0, 0, 1)), empty_try(), after_finally(3), loop(0))
