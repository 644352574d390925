"""Discrete-event simulation of the whole tiered desk, compiled with numba.

Tickets arrive (a Poisson process whose rate changes every hour of the week, with a trend),
enter at a level (usually L1) and queue by priority (P1 first, first come first served within
a priority, non-preemptive). An agent's visit ends in a resolution, an escalation to the next
level, a return to the previous one, or a pause pending the requester (the SLA clock stops;
the ticket re-queues at the same level when the requester answers). Agents work shifts: the
number on duty changes on the hour (a busy agent whose shift ends finishes the ticket first),
reduced by the level's shrinkage (breaks). SLA clocks count business hours only.

Arrivals are drawn with NumPy; the event loop (a binary heap of completions and pause ends,
linked-list queues per level and priority) runs in one compiled function. A run is a pure
function of the model, the schedule and the seed.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

WEEK = 604800.0
HOUR = 3600.0
COMPLETION, PAUSE_END = 1, 2


@njit(cache=True)
def business(t: float, cum: np.ndarray, open_: np.ndarray, week_open: float) -> float:
    """Business seconds from the horizon's start (Monday 00:00) to ``t``."""
    weeks = math.floor(t / WEEK)
    rest = t - weeks * WEEK
    hour = min(int(rest // HOUR), 167)
    return weeks * week_open + cum[hour] + (rest - hour * HOUR) * open_[hour]


@njit(cache=True)
def _push(times, kinds, ids, size, t, kind, ticket):
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if times[parent] <= t:
            break
        times[i], kinds[i], ids[i] = times[parent], kinds[parent], ids[parent]
        i = parent
    times[i], kinds[i], ids[i] = t, kind, ticket
    return size + 1


@njit(cache=True)
def _pop(times, kinds, ids, size):
    """Remove the root; returns the new size (the root's values must be read before)."""
    size -= 1
    t, kind, ticket = times[size], kinds[size], ids[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and times[child + 1] < times[child]:
            child += 1
        if times[child] >= t:
            break
        times[i], kinds[i], ids[i] = times[child], kinds[child], ids[child]
        i = child
    times[i], kinds[i], ids[i] = t, kind, ticket
    return size


@njit(cache=True)
def _sample(kind: int, a: float, b: float) -> float:
    if kind == 0:
        return np.random.exponential(a)
    if kind == 1:
        return np.random.lognormal(a, b)
    if kind == 2:
        return np.random.gamma(a, b)
    return b * np.random.weibull(a)


@njit(cache=True)
def _enqueue(ticket, level, priority, head, tail, nxt):
    nxt[ticket] = -1
    last = tail[level, priority]
    if last < 0:
        head[level, priority] = ticket
    else:
        nxt[last] = ticket
    tail[level, priority] = ticket


@njit(cache=True)
def _start(lv, t, st, busy, cap, head, tail, nxt, prio, enq, response, heap, size, svc):
    """Start visits at level ``lv`` while an agent is free and a ticket waits."""
    times, kinds, ids = heap
    while busy[lv] < cap[lv]:
        ticket = -1
        for p in range(head.shape[1]):
            if head[lv, p] >= 0:
                ticket = head[lv, p]
                head[lv, p] = nxt[ticket]
                if head[lv, p] < 0:
                    tail[lv, p] = -1
                break
        if ticket < 0:
            break
        busy[lv] += 1
        if response[ticket] < 0:
            response[ticket] = t
        service = _sample(int(svc[lv, 0]), svc[lv, 1], svc[lv, 2])
        st[lv, 0] += 1
        st[lv, 1] += t - enq[ticket]
        st[lv, 5] += t - enq[ticket] <= svc[lv, 3]
        st[lv, 2] += service
        size = _push(times, kinds, ids, size, t + service, COMPLETION, ticket)
    return size


@njit(cache=True)
def _route(u, lv, routing, levels):
    """-1 pause, -2 resolve, else the destination level, from one uniform draw.

    ``routing[lv]`` holds the pause probability, the mean pause, then the transfers."""
    acc = routing[lv, 0]
    if u < acc:
        return -1
    for dest in range(levels):
        acc += routing[lv, 2 + dest]
        if u < acc:
            return dest
    return -2


@njit(cache=True)
def _finish(ticket, lv, t, st, busy, present, level, top, resolved, pause_from, routing, heap,
            size):
    """A visit ends: pause, resolution or transfer. Returns the heap size and the level the
    ticket now queues at (-1: it does not queue)."""
    times, kinds, ids = heap
    busy[lv] -= 1
    outcome = _route(np.random.random(), lv, routing, busy.size)
    if outcome == -1:
        pause_from[ticket] = t
        size = _push(times, kinds, ids, size, t + np.random.exponential(routing[lv, 1]),
                     PAUSE_END, ticket)
        return size, -1
    present[lv] -= 1
    if outcome == -2:
        resolved[ticket] = t
        return size, -1
    st[lv, 3 if outcome > lv else 4] += 1
    level[ticket] = outcome
    top[ticket] = max(top[ticket], outcome)
    present[outcome] += 1
    return size, outcome


@njit(cache=True)
def run(arr_t, arr_p, arr_l, staff, svc, routing, open_, seed):
    """One replication. Returns per ticket (response, resolved, paused business seconds,
    highest level) and per level (visits, wait, service, escalations, returns, answered
    within the level's target) and the hourly backlog (levels × hours)."""
    np.random.seed(seed)
    n, levels, hours = arr_t.size, staff.shape[0], staff.shape[1]
    horizon = hours * HOUR
    cum = np.zeros(168)
    for h in range(1, 168):
        cum[h] = cum[h - 1] + open_[h - 1] * HOUR
    week_open = cum[167] + open_[167] * HOUR
    response, resolved = np.full(n, -1.0), np.full(n, -1.0)
    paused, pause_from, enq = np.zeros(n), np.zeros(n), np.zeros(n)
    level, top = arr_l.copy(), arr_l.copy()
    nxt = np.full(n, -1)
    head, tail = np.full((levels, 4), -1), np.full((levels, 4), -1)
    busy, cap, present = np.zeros(levels, np.int64), np.zeros(levels, np.int64), \
        np.zeros(levels, np.int64)
    st = np.zeros((levels, 6))
    backlog = np.zeros((levels, hours), np.int64)
    heap = (np.zeros(n + 1), np.zeros(n + 1, np.int64), np.zeros(n + 1, np.int64))
    times, kinds, ids = heap
    size, i, hour = 0, 0, 0
    while True:
        t_arrival = arr_t[i] if i < n else np.inf
        t_event = times[0] if size > 0 else np.inf
        t_tick = hour * HOUR if hour < hours else np.inf
        t = min(t_arrival, t_event, t_tick)
        if t >= horizon:
            break
        if t_tick == t:
            for lv in range(levels):
                cap[lv] = staff[lv, hour]
                backlog[lv, hour] = present[lv]
            hour += 1
            for lv in range(levels):
                size = _start(lv, t, st, busy, cap, head, tail, nxt, arr_p, enq, response,
                              heap, size, svc)
            continue
        if t_arrival == t:
            ticket, lv = i, arr_l[i]
            i += 1
            present[lv] += 1
            enq[ticket] = t
            _enqueue(ticket, lv, arr_p[ticket], head, tail, nxt)
            size = _start(lv, t, st, busy, cap, head, tail, nxt, arr_p, enq, response, heap,
                          size, svc)
            continue
        kind, ticket = kinds[0], ids[0]
        size = _pop(times, kinds, ids, size)
        lv = level[ticket]
        dest = lv
        if kind == PAUSE_END:
            paused[ticket] += (business(t, cum, open_, week_open)
                               - business(pause_from[ticket], cum, open_, week_open))
        else:
            size, dest = _finish(ticket, lv, t, st, busy, present, level, top, resolved,
                                 pause_from, routing, heap, size)
            size = _start(lv, t, st, busy, cap, head, tail, nxt, arr_p, enq, response, heap,
                          size, svc)
        if dest >= 0:
            enq[ticket] = t
            _enqueue(ticket, dest, arr_p[ticket], head, tail, nxt)
            size = _start(dest, t, st, busy, cap, head, tail, nxt, arr_p, enq, response, heap,
                          size, svc)
    return response, resolved, paused, top, st, backlog
