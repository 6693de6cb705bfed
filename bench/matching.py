"""Benchmark of the matching engine (lienhiep.experts.matching) on synthetic Vietnamese instances.

    uv run python bench/matching.py                       # 200x100, 1000x500, 5000x2000
    uv run python bench/matching.py --sizes 200x100 --seed 2
    uv run python bench/matching.py --sizes 5000x2000 --rules both --repeat 3   # the national job, medians of 3

Each size runs in its own child process so that the peak memory (resource.getrusage ru_maxrss of that child:
the whole process, Python, NumPy, OR-Tools and HiGHS included) belongs to that size alone. Before and after each
child a fixed reference workload is timed (Python sorting and string splitting, a NumPy sort; in a child of its
own, so that the parent's memory stays small: a child's ru_maxrss starts from its parent's); "ratio" is
(affinity + assign) / reference (the mean of the two), which compares runs on a shared machine whose speed varies
with the other work on it. With --repeat N each size runs N times (N children) and every figure is the median.
Instances: 3 experts per item, 2 % of (item, expert) pairs in conflict, max load ceil(3·items/experts)+1,
texts drawn from per-field vocabularies of Vietnamese terms, experts spread over workplaces of ~8 people.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lienhiep.experts.matching import Candidate, Item, Rules, TfidfAffinity, assign  # noqa: E402

FIELDS = {
    "NN": (
        "nông nghiệp",
        "giống lúa;chịu mặn;phân bón hữu cơ;canh tác;cà phê;hồ tiêu;cao su;sâu bệnh;tưới tiết kiệm;"
        "đất bazan;nông sản;chuỗi giá trị;hợp tác xã;cơ giới hóa;vụ đông xuân;năng suất;cây ăn quả;sâm Ngọc Linh",
    ),
    "CN": (
        "chăn nuôi thú y",
        "bò sữa;lợn rừng;dịch tả lợn;vắc xin;gia cầm;thức ăn chăn nuôi;con giống;trang trại;"
        "an toàn sinh học;cúm gia cầm;bò thịt;dê;đồng cỏ;kháng sinh;thú y cơ sở;chuồng trại",
    ),
    "LN": (
        "lâm nghiệp",
        "rừng phòng hộ;trồng rừng;keo lai;dược liệu dưới tán rừng;giao khoán;chi trả dịch vụ môi trường rừng;"
        "cháy rừng;gỗ;lâm sản ngoài gỗ;đa dạng sinh học;vườn quốc gia;kiểm lâm;tín chỉ các bon",
    ),
    "TS": (
        "thủy sản",
        "nuôi cá lồng;cá tầm;hồ thủy điện;tôm;con giống thủy sản;bệnh cá;nuôi trồng;khai thác;thức ăn viên",
    ),
    "MT": (
        "môi trường",
        "chất thải rắn;nước thải;ô nhiễm không khí;biến đổi khí hậu;sạt lở;lũ quét;quan trắc;"
        "đánh giá tác động môi trường;tái chế;rác thải nhựa;nước sinh hoạt;hạn hán;tài nguyên nước",
    ),
    "YT": (
        "y tế",
        "y tế cơ sở;trạm y tế;dinh dưỡng trẻ em;sốt rét;lao phổi;tiêm chủng;y học cổ truyền;bệnh viện huyện;"
        "sức khỏe sinh sản;bảo hiểm y tế;dược liệu;an toàn thực phẩm;bác sĩ gia đình",
    ),
    "GD": (
        "giáo dục",
        "giáo dục dân tộc;trường nội trú;song ngữ;học sinh dân tộc thiểu số;bỏ học;giáo viên;chương trình mới;"
        "chuyển đổi số trong trường học;dạy nghề;mầm non;kỹ năng sống;thư viện",
    ),
    "CNTT": (
        "công nghệ thông tin",
        "chuyển đổi số;phần mềm;cơ sở dữ liệu;an toàn thông tin;dịch vụ công trực tuyến;"
        "chính quyền số;trí tuệ nhân tạo;hạ tầng mạng;điện toán đám mây;mã nguồn mở;dữ liệu mở",
    ),
    "XD": (
        "xây dựng giao thông",
        "quy hoạch đô thị;cầu treo;đường giao thông nông thôn;vật liệu xây dựng;kiên cố hóa;"
        "thủy lợi;hồ chứa;nhà ở;kết cấu;bê tông;địa kỹ thuật;thoát nước",
    ),
    "KT": (
        "kinh tế",
        "du lịch cộng đồng;thương mại điện tử;doanh nghiệp nhỏ;tín dụng vi mô;giảm nghèo;thu ngân sách;"
        "đầu tư công;sản phẩm OCOP;thị trường lao động;hợp tác xã kiểu mới;xuất khẩu;khởi nghiệp",
    ),
    "LU": (
        "pháp luật",
        "văn bản quy phạm pháp luật;đất đai;thủ tục hành chính;hòa giải cơ sở;trợ giúp pháp lý;"
        "quyền sử dụng đất;tranh chấp;khiếu nại tố cáo;luật tổ chức chính quyền;phổ biến pháp luật",
    ),
    "VH": (
        "văn hóa xã hội",
        "cồng chiêng;nhà rông;lễ hội truyền thống;di sản văn hóa phi vật thể;tiếng dân tộc;"
        "bình đẳng giới;làng văn hóa;nghề dệt thổ cẩm;bảo tàng;sử thi;an sinh xã hội;người cao tuổi",
    ),
    "NL": ("năng lượng", "thủy điện nhỏ;điện mặt trời;điện gió;tiết kiệm năng lượng;lưới điện;sinh khối;khí sinh học"),
}
COMMON = (
    "nghiên cứu;phát triển;ứng dụng;đánh giá;giải pháp;mô hình;chính sách;quản lý;bền vững;địa phương;đề xuất;"
    "hiệu quả;thực trạng;tỉnh Kon Tum;Tây Nguyên;huyện;vùng sâu vùng xa;cộng đồng;đồng bào;nâng cao;"
    "tăng cường;xây dựng;kế hoạch;giai đoạn 2026 2030;khoa học;công nghệ;chuyển giao;thí điểm"
).split(";")
PLACES = "Kon Tum;Đắk Glei;Ngọc Hồi;Đắk Tô;Kon Plông;Kon Rẫy;Đắk Hà;Sa Thầy;Tu Mơ Rông;Ia H'Drai;Gia Lai;Đắk Lắk".split(
    ";"
)
CODES = sorted(FIELDS)


def _terms(code: str) -> list[str]:
    return FIELDS[code][1].split(";")


def generate(n_items: int, n_experts: int, seed: int):
    rng = random.Random(seed)
    candidates = []
    max_load = math.ceil(3 * n_items / n_experts) + 1
    n_workplaces = max(1, n_experts // 8)
    for k in range(n_experts):
        fields = rng.sample(CODES, rng.choice((1, 1, 2)))
        words = [FIELDS[f][0] for f in fields]
        words += [t for f in fields for t in rng.sample(_terms(f), min(6, len(_terms(f))))]
        for _ in range(rng.randint(3, 6)):  # CV / publications
            f = rng.choice(fields)
            words.append(
                f"{rng.choice(COMMON)} {rng.choice(_terms(f))} {rng.choice(COMMON)} tại {rng.choice(PLACES)}"
                f" ({rng.randint(2005, 2026)})."
            )
        candidates.append(
            Candidate(k, "; ".join(words), frozenset(fields), max_load, f"W{rng.randrange(n_workplaces)}")
        )
    items = []
    for k in range(n_items):
        fields = rng.sample(CODES, rng.choice((1, 1, 1, 2)))
        words = [f"Đề án {rng.choice(COMMON)} {rng.choice(_terms(fields[0]))} tại {rng.choice(PLACES)}."]
        for _ in range(rng.randint(4, 8)):
            f = rng.choice(fields) if rng.random() < 0.8 else rng.choice(CODES)
            words.append(f"{rng.choice(COMMON)} {rng.choice(_terms(f))}, {rng.choice(COMMON)} {rng.choice(_terms(f))}.")
        items.append(Item(100_000 + k, " ".join(words), frozenset(fields), 3))
    n_conflicts = round(0.02 * n_items * n_experts)
    flat = numpy.random.default_rng(seed).choice(n_items * n_experts, size=n_conflicts, replace=False)
    conflicts = {(items[f // n_experts].key, candidates[f % n_experts].key) for f in flat.tolist()}
    return items, candidates, conflicts, max_load


def violations(items, candidates, conflicts, rules, result) -> dict[str, int]:
    by_key = {c.key: c for c in candidates}
    per_item: dict[int, list[Candidate]] = {}
    for i, c, _ in result.pairs:
        per_item.setdefault(i, []).append(by_key[c])
    out = {
        "conflicts": sum((i, c) in conflicts for i, c, _ in result.pairs),
        "over_load": sum(result.load[c.key] > c.max_load for c in candidates),
        "unfilled": sum(max(0, it.need - len(per_item.get(it.key, []))) for it in items),
        "same_workplace": 0,
        "no_field_expert": 0,
    }
    for it in items:
        chosen = per_item.get(it.key, [])
        if rules.distinct_workplaces:
            out["same_workplace"] += len(chosen) - len({c.workplace for c in chosen})
        if rules.require_field_expert and it.fields and not any(c.fields & it.fields for c in chosen):
            out["no_field_expert"] += 1
    return out


RULE_SETS = {
    "plain": Rules(),
    "plain λ=0": Rules(load_balance=0),
    "plain λ=0.1": Rules(load_balance=0.1),
    "workplaces": Rules(distinct_workplaces=True),
    "field": Rules(require_field_expert=True),
    "both": Rules(require_field_expert=True, distinct_workplaces=True),
    "both, LP stage": Rules(require_field_expert=True, distinct_workplaces=True),
    "both, integer programme": Rules(require_field_expert=True, distinct_workplaces=True),
}
METHODS = {"both, LP stage": "lp", "both, integer programme": "integer"}


def reference_seconds() -> float:
    """Seconds of a fixed workload of the kinds the matching does (Python strings and sorting, NumPy)."""
    rng = random.Random(0)
    words = [f"{rng.random():.6f}" for _ in range(50_000)]
    numbers = numpy.random.default_rng(0).random(500_000)
    started = time.perf_counter()
    for _ in range(16):
        sorted(words)
        len(" ".join(words).split())
        numpy.sort(numbers)
    return time.perf_counter() - started


def run_one(
    size: str, seed: int, rule_names: list[str], top_k: int, milp_top_k: int, time_limit: float, bonus: float
) -> dict:
    n_items, n_experts = (int(x) for x in size.split("x"))
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    items, candidates, conflicts, max_load = generate(n_items, n_experts, seed)
    out = {"size": size, "max_load": max_load, "conflicts": len(conflicts), "generate_s": time.perf_counter() - t}
    t, cpu = time.perf_counter(), time.process_time()
    affinity = TfidfAffinity(field_bonus=bonus).scores(items, candidates)
    out["affinity_s"], out["affinity_cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
    out["runs"] = {}
    for name in rule_names:
        rules = RULE_SETS[name]
        method = METHODS.get(name, "auto")
        k = milp_top_k if method != "auto" else top_k
        cpu = time.process_time()
        result = assign(
            items,
            candidates,
            affinity,
            conflicts,
            rules,
            top_k=k,
            method=method,
            time_limit=time_limit,
        )
        loads = numpy.array(list(result.load.values()))
        out["runs"][name] = {
            "assign_s": result.stats["seconds"],
            "assign_cpu_s": time.process_time() - cpu,
            "solver": result.stats["solver"],
            "exact": result.stats["exact"],
            "pruned": result.stats["pruned"],
            "arcs": result.stats["arcs"],
            "rounds": result.stats.get("pricing_rounds"),
            "field_rule_binding": result.stats.get("field_rule_binding"),
            "objective": result.total_affinity
            - rules.load_balance * sum(v * (v - 1) / 2 for v in result.load.values()),
            "total_affinity": result.total_affinity,
            "min_item_affinity": result.min_item_affinity,
            "min_pair_affinity": result.min_pair_affinity,
            "load_min_max": [int(loads.min()), int(loads.max())],
            "problems": len(result.problems),
            "violations": violations(items, candidates, conflicts, rules, result),
        }
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["base_rss_mb"] = base_rss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["200x100", "1000x500", "5000x2000"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rules",
        nargs="+",
        default=[name for name in RULE_SETS if name != "both, integer programme"],
        choices=list(RULE_SETS),
        help="rule sets (default: all but the forced integer programme, a slow last resort at 5000x2000)",
    )
    parser.add_argument("--top-k", type=int, default=30, help="initial candidates per item for the flow")
    parser.add_argument("--milp-top-k", type=int, default=15, help="candidates (+ field experts) per item, both rules")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per integer programme solve")
    parser.add_argument("--field-bonus", type=float, default=0.2, help="affinity bonus for a shared field")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each size (each figure: the median)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        print(reference_seconds())
        return
    if args.one:
        print(
            json.dumps(
                run_one(args.one, args.seed, args.rules, args.top_k, args.milp_top_k, args.time_limit, args.field_bonus)
            )
        )
        return
    print(
        "| items × experts | rules | affinity s | assign s | ratio | solver | exact | total affinity | objective "
        "| min item (mean) | loads min–max | violations c/o/u/w/f | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        cmd = [
            sys.executable,
            __file__,
            "--one",
            size,
            "--seed",
            str(args.seed),
            "--rules",
            *args.rules,
            "--top-k",
            str(args.top_k),
            "--milp-top-k",
            str(args.milp_top_k),
            "--time-limit",
            str(args.time_limit),
            "--field-bonus",
            str(args.field_bonus),
        ]
        reference = [sys.executable, __file__, "--reference"]
        outs = []
        for _ in range(max(1, args.repeat)):
            before = float(subprocess.run(reference, check=True, capture_output=True, text=True).stdout)
            outs.append(json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout))
            after = float(subprocess.run(reference, check=True, capture_output=True, text=True).stdout)
            outs[-1]["reference_s"] = (before + after) / 2
        out = outs[0]  # the assignment is deterministic: every run gives the same pairs; times are medians
        med = lambda values: statistics.median(values)  # noqa: E731
        affinity_s = med([o["affinity_s"] for o in outs])
        for name, run in out["runs"].items():
            v = run["violations"]
            rounds = f", {run['rounds']} rounds" if run["rounds"] else ""
            binding = ", field rule binding" if run["field_rule_binding"] else ""
            assign_s = med([o["runs"][name]["assign_s"] for o in outs])
            ratio = med([(o["affinity_s"] + o["runs"][name]["assign_s"]) / o["reference_s"] for o in outs])
            print(
                f"| {size.replace('x', ' × ')} | {name} | {affinity_s:.2f} | {assign_s:.2f} | {ratio:.2f} "
                f"| {run['solver']} ({run['arcs']:,} arcs{rounds}{binding}) "
                f"| {'yes' if run['exact'] else 'no (pruned)' if run['pruned'] else 'no'} "
                f"| {run['total_affinity']:.2f} | {run['objective']:.2f} | {run['min_item_affinity']:.3f} "
                f"| {run['load_min_max'][0]}–{run['load_min_max'][1]} (max {out['max_load']}) "
                f"| {v['conflicts']}/{v['over_load']}/{v['unfilled']}/{v['same_workplace']}/{v['no_field_expert']} "
                f"| {med([o['peak_rss_mb'] for o in outs]):.0f} |",
                flush=True,
            )
            if len(outs) > 1:
                print(
                    f"<!-- {size} {name}, each run: affinity s {[round(o['affinity_s'], 2) for o in outs]}, "
                    f"assign s {[round(o['runs'][name]['assign_s'], 2) for o in outs]}, CPU s affinity + assign "
                    f"{[round(o['affinity_cpu_s'] + o['runs'][name]['assign_cpu_s'], 2) for o in outs]}, "
                    f"reference s {[round(o['reference_s'], 2) for o in outs]}, "
                    f"peak RSS MB {[round(o['peak_rss_mb']) for o in outs]} -->",
                    flush=True,
                )
        print(
            f"<!-- {size}: generate {out['generate_s']:.2f} s, {out['conflicts']} conflicts, "
            f"RSS after imports {out['base_rss_mb']:.0f} MB, reference {med([o['reference_s'] for o in outs]):.2f} s"
            f"{f', medians of {len(outs)} runs' if len(outs) > 1 else ''} -->",
            flush=True,
        )


if __name__ == "__main__":
    main()
