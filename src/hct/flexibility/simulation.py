"""The waiting-list simulation: a discrete-event model of one service, written with SimPy.

Time is in weeks. People are referred at random (a Poisson stream). The service offers a number
of sessions each week; a person in a course holds one weekly slot until the course ends, so the
sessions a week are the slots of a many-server queue. The wait is from referral to the first
session. Someone who has to change their first appointment frees the slot (left empty for the
week if they gave less than two days' notice) and is free to come again a week later; what
happens next is the service's rule:

- back of the queue: they join the list again behind everyone already on it;
- keep your place: they go back where their referral date puts them;
- held back: a share of each week's sessions is kept for rebookings; they take one if it comes
  within N days, else they join the list at the back.

In a course each session may be missed (DNA). After K missed sessions the person is discharged,
or (with the re-engage rule) called first and discharged only after K more.

Replication r uses `random.Random(seed + r)`, so the same inputs and seed give the same numbers.
Nothing here touches the database: `run` is a pure function from inputs to results. Because each
replication owns its seed, replications can run in separate processes (see `run`) and the numbers
are the same, bit for bit, as a run in one process.
"""

import contextlib
import math
import multiprocessing
import os
import random
import re
import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field

import simpy

BACK = "back"
KEEP = "keep"
HELD_BACK = "held_back"
DISCHARGE = "discharge"
REENGAGE = "reengage"

LATE_NOTICE_DAYS = 2.0  # less notice than this and the session cannot be offered to anyone else
DRAIN_WEEKS = 104  # after the horizon, keep going until everyone referred has started, at most this
MAX_HORIZON_WEEKS = 520
MAX_REPLICATIONS = 200
STANDARD_6_WEEKS = 0.75  # NHS Talking Therapies: 75% start within 6 weeks of referral
STANDARD_18_WEEKS = 0.95  # and 95% within 18 weeks

PROFILE_ERROR = (
    "Write the sessions offered each week as whole numbers separated by commas, for example "
    "“40, 40, 40, 32”, or “40 x 48, 30 x 4” for 48 weeks of 40 then 4 weeks of 30"
)
PROFILE_ZERO = "At least one week must offer a session"
_TOKEN = re.compile(r"^\s*(\d{1,5})\s*(?:[x×*]\s*(\d{1,3}))?\s*$", re.IGNORECASE)
MAX_PROFILE_WEEKS = 520


def parse_profile(text: str) -> tuple[int, ...]:
    """Sessions offered in each week of a repeating pattern; ValueError with a message to show."""
    weeks: list[int] = []
    if not text or not text.strip():
        raise ValueError(PROFILE_ERROR)
    for token in text.split(","):
        match = _TOKEN.match(token)
        if not match:
            raise ValueError(PROFILE_ERROR)
        sessions, repeat = int(match.group(1)), int(match.group(2) or 1)
        if repeat == 0:
            raise ValueError(PROFILE_ERROR)
        weeks.extend([sessions] * repeat)
        if len(weeks) > MAX_PROFILE_WEEKS:
            raise ValueError(f"A pattern of sessions can be at most {MAX_PROFILE_WEEKS} weeks long")
    if max(weeks) == 0:
        raise ValueError(PROFILE_ZERO)
    return tuple(weeks)


@dataclass(frozen=True)
class Inputs:
    referrals_per_week: float
    capacity: tuple[int, ...]  # sessions offered each week, repeating
    sessions_per_course: int
    change_share: float = 0.0  # 0–1: people who have to change their first appointment
    notice_days: float = 3.0  # mean notice they give
    dna_share: float = 0.0  # 0–1: each session missed with this chance
    change_rule: str = BACK
    held_back_share: float = 0.0  # 0–1 of each week's sessions, for the held-back rule
    held_back_days: int = 7
    dna_rule: str = DISCHARGE
    dna_limit: int = 2
    horizon_weeks: int = 104
    warmup_weeks: int = 26
    replications: int = 10
    seed: int = 1
    # Exponential course lengths with the same mean and no missed sessions: the M/M/c queue of
    # the Erlang C check. Not offered in the pages; the tests and the benchmark use it.
    exponential: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["capacity"] = list(self.capacity)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Inputs":
        values = dict(data)
        values["capacity"] = tuple(values["capacity"])
        return cls(**values)


def course_weeks(inputs: Inputs, rng: random.Random) -> tuple[int, int, bool]:
    """(weeks in the course, sessions attended, discharged after missed sessions)."""
    limit = inputs.dna_limit * (2 if inputs.dna_rule == REENGAGE else 1)
    attended = missed = 0
    dna = inputs.dna_share
    while attended < inputs.sessions_per_course:
        if dna and rng.random() < dna:
            missed += 1
            if missed >= limit:
                return attended + missed, attended, True
        else:
            attended += 1
    return attended + missed, attended, False


def expected_course_weeks(inputs: Inputs) -> float:
    """The mean weeks a course holds a slot (missed sessions and discharges counted), exactly."""
    if inputs.exponential:
        return float(inputs.sessions_per_course)
    n, d = inputs.sessions_per_course, inputs.dna_share
    limit = inputs.dna_limit * (2 if inputs.dna_rule == REENGAGE else 1)
    # probability of each (attended, missed) state still in the course, stepping one week at a time
    states = {(0, 0): 1.0}
    expected = 0.0
    while states:
        following: dict[tuple[int, int], float] = {}
        for (attended, missed), p in states.items():
            expected += p  # this week is spent in the course
            if d < 1:
                a = (attended + 1, missed)
                if a[0] < n:
                    following[a] = following.get(a, 0.0) + p * (1 - d)
            if d > 0:
                m = (attended, missed + 1)
                if m[1] < limit:
                    following[m] = following.get(m, 0.0) + p * d
        states = following
    return expected


@dataclass(frozen=True)
class Overload:
    """Demand beyond capacity: the list grows whatever the rebooking rule."""

    sessions_needed: float
    sessions_offered: float
    excess_percent: float
    growth_per_week: float

    def sentence(self) -> str:
        return (
            f"Referrals need about {self.sessions_needed:.0f} sessions a week and the service "
            f"offers {self.sessions_offered:.0f}: referrals exceed sessions by "
            f"{self.excess_percent:.0f}%, so the list grows by about "
            f"{self.growth_per_week:.1f} people a week whatever the rebooking rule."
        )


def late_change_weeks(inputs: Inputs) -> float:
    """The mean slot-weeks a referral leaves empty by changing at short notice (any rule)."""
    if not inputs.change_share:
        return 0.0
    late = 1.0 if inputs.notice_days <= 0 else 1 - math.exp(-LATE_NOTICE_DAYS / inputs.notice_days)
    return inputs.change_share * late


def overload(inputs: Inputs) -> Overload | None:
    """Demand at or beyond capacity: each referral needs its course's weeks of a slot, plus the
    week a slot stands empty when they change at short notice, whatever the rebooking rule."""
    weeks = expected_course_weeks(inputs) + late_change_weeks(inputs)
    needed = inputs.referrals_per_week * weeks
    offered = sum(inputs.capacity) / len(inputs.capacity)
    if needed < offered:
        return None
    return Overload(
        sessions_needed=needed,
        sessions_offered=offered,
        excess_percent=(needed / offered - 1) * 100,
        growth_per_week=inputs.referrals_per_week - offered / weeks,
    )


@dataclass
class Replication:
    seed: int
    waits: list[float] = field(default_factory=list)
    changer_waits: list[float] = field(default_factory=list)
    other_waits: list[float] = field(default_factory=list)
    still_waiting: int = 0  # referred in the window, not started by the end (wait counted so far)
    referred: int = 0
    discharged: int = 0
    attended_sessions: int = 0
    offered_sessions: int = 0
    list_size: list[int] = field(default_factory=list)  # waiting at the start of each week
    waiting_area: float = 0.0  # ∫ people waiting dt over the window (Little's L × window)


class _Model:
    """One replication. People are SimPy requests for a slot rather than SimPy processes: each
    step of a person's way through the service (granted a slot, changed the appointment, back on
    the list, course over) is a callback on the event that starts it, so a person costs the
    events the model needs (the request, the course's timeout and the release; a change adds a
    week's timeout and a second request) and none for starting and ending a process. Events are
    scheduled in the same order as a process per person would schedule them, so the numbers are
    those of the process-per-person model, seed for seed."""

    def __init__(self, inputs: Inputs, seed: int):
        self.inputs = inputs
        self.rng = random.Random(seed)
        self.env = simpy.Environment()
        self.result = Replication(seed=seed)
        peak = max(inputs.capacity)
        held = round(inputs.held_back_share * peak) if inputs.change_rule == HELD_BACK else 0
        self.held = simpy.Resource(self.env, capacity=held) if held else None
        self.slots = simpy.PriorityResource(self.env, capacity=max(peak - held, 1))
        self.peak, self.held_count = peak, held
        self.waiting = 0
        self.last_change = 0.0
        self.start, self.end = float(inputs.warmup_weeks), float(inputs.horizon_weeks)
        self.unstarted = 0  # referred in the window and not yet started
        self.keep = inputs.change_rule == KEEP
        self.held_weeks = inputs.held_back_days / 7

    # Little's law: the area under the number waiting, inside the observation window.
    def _waiting_changes(self, by: int) -> None:
        now = self.env.now
        low, high = max(self.last_change, self.start), min(now, self.end)
        if high > low:
            self.result.waiting_area += self.waiting * (high - low)
        self.last_change = now
        self.waiting += by

    def referrals(self):
        rate = self.inputs.referrals_per_week
        env, rng = self.env, self.rng
        inputs = self.inputs
        refer = self.refer
        while True:
            yield env.timeout(rng.expovariate(rate))
            # Everything random about a person is drawn here, in order of referral, so that two
            # scenarios with the same seed see the same people (common random numbers): the
            # difference between them is the rules', not chance's.
            changer = inputs.change_share > 0 and rng.random() < inputs.change_share
            notice = 0.0
            if changer and inputs.notice_days > 0:
                notice = rng.expovariate(1 / inputs.notice_days)
            if inputs.exponential:
                course = (rng.expovariate(1 / inputs.sessions_per_course), 0, False)
            else:
                course = course_weeks(inputs, rng)
            refer(changer, notice, course)

    def refer(self, changer: bool, notice: float, course: tuple) -> None:
        referred = self.env.now
        counted = self.start <= referred < self.end
        if counted:
            self.result.referred += 1
            self.unstarted += 1
        self._waiting_changes(+1)
        slots = self.slots
        # SimPy orders by any comparable priority; its annotation says int. A referral's time
        # (a float) is the queue order: first referred, first seen.
        request = slots.request(priority=referred)  # type: ignore[arg-type]
        if changer:
            request.callbacks.append(
                lambda _: self.changed(referred, counted, notice, course, request)
            )
        else:
            request.callbacks.append(
                lambda _: self.begin(referred, counted, False, course, slots, request)
            )

    def changed(self, referred: float, counted: bool, notice: float, course: tuple, request):
        """Offered a first session, they have to change it."""
        env, slots = self.env, self.slots
        if notice < LATE_NOTICE_DAYS:

            def late(_) -> None:  # the session went empty this week
                slots.release(request)
                self.rebook(referred, counted, course)

            env.timeout(1).callbacks.append(late)
        else:
            slots.release(request)
            env.timeout(1).callbacks.append(lambda _: self.rebook(referred, counted, course))

    def rebook(self, referred: float, counted: bool, course: tuple) -> None:
        """A week on, free to come: a held-back session within N days, else the list."""
        if self.held is not None:
            held = self.held.request()

            def held_or_list(_) -> None:
                if held.triggered:  # granted, even on the same instant as the timeout
                    self.begin(referred, counted, True, course, self.held, held)
                    return
                held.cancel()
                self.to_list(referred, counted, course)

            (held | self.env.timeout(self.held_weeks)).callbacks.append(held_or_list)
            return
        self.to_list(referred, counted, course)

    def to_list(self, referred: float, counted: bool, course: tuple) -> None:
        slots = self.slots
        request = slots.request(priority=referred if self.keep else self.env.now)  # type: ignore[arg-type]
        request.callbacks.append(
            lambda _: self.begin(referred, counted, True, course, slots, request)
        )

    def begin(self, referred, counted, changer, course, resource, request) -> None:
        env, inputs = self.env, self.inputs
        began = env.now
        self._waiting_changes(-1)
        if counted:
            wait = began - referred
            self.unstarted -= 1
            self.result.waits.append(wait)
            (self.result.changer_waits if changer else self.result.other_waits).append(wait)
        weeks, attended, discharged = course
        inside = _sessions_in(began, weeks, self.start, self.end)
        if inputs.exponential:
            self.result.attended_sessions += inside
        else:
            # sessions attended within the window: attended ones are spread through the course
            self.result.attended_sessions += round(inside * attended / weeks) if weeks else 0
        if discharged and counted:
            self.result.discharged += 1
        env.timeout(weeks).callbacks.append(lambda _: resource.release(request))

    def capacity(self):
        """Change the sessions offered week by week: close slots with requests that come before
        everyone on the list, and open them again by releasing those requests."""
        env, profile = self.env, self.inputs.capacity
        closed: list = []
        week = 0
        while True:
            target = self.peak - profile[week % len(profile)]
            while len(closed) < target:
                closed.append(self.slots.request(priority=-1))
            while len(closed) > target:
                blocker = closed.pop()
                if blocker.triggered:
                    self.slots.release(blocker)
                else:
                    blocker.cancel()
            yield env.timeout(1)
            week += 1

    def list_sampler(self):
        while True:
            if self.env.now >= self.start:
                self.result.list_size.append(self.waiting)
            yield self.env.timeout(1)

    def run(self) -> Replication:
        inputs, env = self.inputs, self.env
        env.process(self.referrals())
        if len(set(inputs.capacity)) > 1:
            env.process(self.capacity())
        env.process(self.list_sampler())
        env.run(until=self.end)
        self.result.list_size = self.result.list_size[: inputs.horizon_weeks - inputs.warmup_weeks]
        self._waiting_changes(0)
        limit = self.end + DRAIN_WEEKS
        while self.unstarted and env.now < limit:
            env.run(until=env.now + 1)
        self.result.still_waiting = self.unstarted
        weeks = range(inputs.warmup_weeks, inputs.horizon_weeks)
        self.result.offered_sessions = sum(inputs.capacity[w % len(inputs.capacity)] for w in weeks)
        return self.result


def _sessions_in(began: float, weeks: float, low: float, high: float) -> int:
    """Weekly sessions at began, began+1, … (for `weeks` weeks) that fall in [low, high)."""
    count = math.ceil(weeks)
    first = max(0, math.ceil(low - began))
    last = min(count, math.ceil(high - began))
    return max(0, last - first)


def replicate(inputs: Inputs, seed: int) -> Replication:
    return _Model(inputs, seed).run()


# ---------------------------------------------------------------------------------------------
# Summaries across replications


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _share_within(values: list[float], weeks: float, censored: int) -> float | None:
    total = len(values) + censored
    if not total:
        return None
    return sum(1 for v in values if v <= weeks) / total


def interval(values: list[float | None]) -> dict:
    """Mean and 95% confidence interval (Student's t) across replications."""
    present = [v for v in values if v is not None]
    if not present:
        return {"mean": None, "low": None, "high": None}
    mean = statistics.fmean(present)
    if len(present) < 2:
        return {"mean": mean, "low": None, "high": None}
    # Imported here, not at the top: scipy.stats takes seconds to import and the processes that
    # run replications never need it.
    from scipy import stats

    t = float(stats.t.ppf(0.975, len(present) - 1))
    half = t * statistics.stdev(present) / math.sqrt(len(present))
    return {"mean": mean, "low": mean - half, "high": mean + half}


MEASURES = {
    "within_6": "Share starting within 6 weeks",
    "within_18": "Share starting within 18 weeks",
    "median": "Median wait (weeks)",
    "p90": "90th-percentile wait (weeks)",
    "mean": "Mean wait (weeks)",
    "changer_median": "Median wait, people who changed an appointment (weeks)",
    "changer_p90": "90th-percentile wait, people who changed an appointment (weeks)",
    "other_median": "Median wait, people who did not (weeks)",
    "other_p90": "90th-percentile wait, people who did not (weeks)",
    "discharged_per_week": "Discharged after missed appointments (people a week)",
    "capacity_used": "Share of sessions used",
    "list_mean": "People on the list (mean)",
    "littles_l": "Little's law: people waiting (time average)",
    "littles_lw": "Little's law: referrals a week × mean wait",
}


def measures_of(rep: Replication, inputs: Inputs) -> dict[str, float | None]:
    window = inputs.horizon_weeks - inputs.warmup_weeks
    waits = rep.waits
    mean = statistics.fmean(waits) if waits else None
    return {
        "within_6": _share_within(waits, 6, rep.still_waiting),
        "within_18": _share_within(waits, 18, rep.still_waiting),
        "median": _quantile(waits, 0.5),
        "p90": _quantile(waits, 0.9),
        "mean": mean,
        "changer_median": _quantile(rep.changer_waits, 0.5),
        "changer_p90": _quantile(rep.changer_waits, 0.9),
        "other_median": _quantile(rep.other_waits, 0.5),
        "other_p90": _quantile(rep.other_waits, 0.9),
        "discharged_per_week": rep.discharged / window,
        "capacity_used": rep.attended_sessions / rep.offered_sessions
        if rep.offered_sessions
        else None,
        "list_mean": statistics.fmean(rep.list_size) if rep.list_size else None,
        "littles_l": rep.waiting_area / window,
        "littles_lw": (rep.referred / window) * mean if mean is not None else None,
    }


PROCESSES_VARIABLE = "HCT_SIMULATION_PROCESSES"
# Below this many referrals simulated (all replications together) starting processes costs more
# than it saves, so the run stays in one process unless asked otherwise.
POOL_MIN_REFERRALS = 100_000


def replication_summary(inputs: Inputs, seed: int) -> tuple[dict, list[int], int]:
    """One replication boiled down to what `run` keeps: small to send back from a process."""
    rep = replicate(inputs, seed)
    return measures_of(rep, inputs), rep.list_size, rep.still_waiting


def processes_for(inputs: Inputs, processes: int | None = None) -> int:
    """How many processes to run the replications in. `processes`, else HCT_SIMULATION_PROCESSES,
    else the processors this process may use (for runs big enough to gain). One when this process
    cannot have children (a daemonic process, such as a worker of another pool)."""
    if multiprocessing.current_process().daemon:
        return 1
    if processes is None:
        configured = os.environ.get(PROCESSES_VARIABLE, "").strip()
        if configured:
            try:
                processes = int(configured)
            except ValueError:
                processes = 1
        else:
            if inputs.referrals_per_week * inputs.horizon_weeks * inputs.replications < (
                POOL_MIN_REFERRALS
            ):
                return 1
            processes = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(processes, inputs.replications))


def pool_context():
    """forkserver where there is one: a clean process to copy from (never a copy of a process
    holding database connections and threads, as plain fork would be), and after the first run
    the copies start in milliseconds because the server has already imported the simulation."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _in_pool(
    inputs: Inputs, seeds: list[int], processes: int, finished: Callable[[int, tuple], None]
) -> None:
    """Run the replications in `processes` processes, passing each to `finished` as it ends.
    Raises OSError or BrokenProcessPool when the pool cannot start or loses a process."""
    with ProcessPoolExecutor(max_workers=processes, mp_context=pool_context()) as pool:
        futures = {
            pool.submit(replication_summary, inputs, seed): index
            for index, seed in enumerate(seeds)
        }
        for future in as_completed(futures):
            finished(futures[future], future.result())


def run(
    inputs: Inputs,
    *,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
) -> dict:
    """Run every replication and summarise: each measure's mean and 95% interval, the list size
    week by week (mean and interval), and the seeds used.

    Replications run in parallel processes when that helps (`processes_for`); progress is
    reported as each one finishes, in whatever order, and the summaries are put together in
    seed order, so the results are identical to a run in one process."""
    seeds = [inputs.seed + r for r in range(inputs.replications)]
    summaries: dict[int, tuple] = {}

    def finished(index: int, summary: tuple) -> None:
        summaries[index] = summary
        if progress is not None:
            progress(len(summaries), len(seeds))

    workers = processes_for(inputs, processes)
    if workers > 1:
        # No pool to be had (or it lost a process): the rest run here, as they would have.
        with contextlib.suppress(OSError, BrokenProcessPool):
            _in_pool(inputs, seeds, workers, finished)
    for index, seed in enumerate(seeds):
        if index not in summaries:
            finished(index, replication_summary(inputs, seed))

    per_measure: dict[str, list[float | None]] = {key: [] for key in MEASURES}
    weekly: list[list[int]] = []
    still_waiting = 0
    for index in range(len(seeds)):
        measures, list_size, waiting = summaries[index]
        for key, value in measures.items():
            per_measure[key].append(value)
        weekly.append(list_size)
        still_waiting += waiting
    weeks = min((len(w) for w in weekly), default=0)
    list_over_time = [
        {"week": inputs.warmup_weeks + w, **interval([series[w] for series in weekly])}
        for w in range(weeks)
    ]
    return {
        "measures": {key: interval(values) for key, values in per_measure.items()},
        "per_replication": {key: values for key, values in per_measure.items()},
        "list_over_time": list_over_time,
        "seeds": seeds,
        "still_waiting_at_end": still_waiting,
        "library": f"SimPy {simpy.__version__}",
    }


# ---------------------------------------------------------------------------------------------
# Theory: the M/M/c queue


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in the queue (before service) of an M/M/c queue, from the Erlang C formula."""
    load = arrival_rate / service_rate
    if load >= servers:
        return math.inf
    # Erlang B by its stable recurrence, then C from B.
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    rho = load / servers
    c = b / (1 - rho + rho * b)
    return c / (servers * service_rate - arrival_rate)
