"""A synthetic county (模拟县): realistic roster rows for the demo, tests and benchmarks.

Townships are those of 阳城县; names, ages and statuses follow the mix of a real county's
subsidy roster (mostly people aged 80-89, about one in eight in a 低保 household). ID numbers
carry the 阳城县 region code 140522 and valid check digits. The same seed gives the same county.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from workbench.domain.idnumber import check_digit
from workbench.domain.month import Month
from workbench.domain.policy import Policy

REGION_CODE = "140522"
TOWNSHIPS = (
    "凤城镇", "北留镇", "润城镇", "町店镇", "芹池镇", "次营镇", "横河镇", "河北镇",
    "蟒河镇", "东冶镇", "白桑乡", "寺头乡", "西河乡", "演礼乡", "固隆乡", "驾岭乡",
)
_VILLAGE_HEADS = "东西南北上下前后大小中新"
_VILLAGE_ROOTS = ("关", "庄", "沟", "河", "坪", "岭", "峪", "头", "窑", "底", "圪塔", "掌", "家庄", "城", "湾", "寨")
_VILLAGE_WORDS = "杨柳槐桑石苇枣榆李郭王刘张赵孙马白黄龙凤泉水山望安和永丰宁"
_SURNAMES = (
    ("王", 9), ("李", 8), ("张", 8), ("刘", 6), ("陈", 4), ("杨", 4), ("赵", 3), ("黄", 2), ("周", 2), ("吴", 2),
    ("徐", 2), ("孙", 2), ("胡", 2), ("朱", 2), ("高", 2), ("林", 1), ("何", 1), ("郭", 3), ("马", 2), ("罗", 1),
    ("梁", 1), ("宋", 1), ("郑", 1), ("谢", 1), ("韩", 1), ("唐", 1), ("冯", 1), ("于", 1), ("董", 1), ("原", 2),
    ("卫", 1), ("田", 1), ("段", 1), ("茹", 1), ("栗", 1), ("吉", 1), ("曹", 1), ("延", 1), ("范", 1), ("常", 1),
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫")
_MALE_GIVEN = "建国华德福全有才明文武志忠义成富贵金银山海林春生根宝保平安红军兴旺发秋来喜"
_FEMALE_GIVEN = "秀英兰玉梅桂芳珍花凤翠娥莲香琴霞淑贞云菊荣巧爱月彩仙素连改"
BANKS = (("阳城农商银行", 55, "6231"), ("中国邮政储蓄银行", 25, "6221"), ("中国农业银行", 12, "6228"),
         ("中国建设银行", 5, "6217"), ("晋城银行", 3, "6223"))


@dataclass(frozen=True)
class CountyShape:
    """The proportions of the synthetic county; defaults follow a typical rural county."""

    ages: tuple[tuple[int, int, int], ...] = ((60, 79, 30), (80, 89, 52), (90, 99, 17), (100, 105, 1))
    rural: float = 0.75
    dibao: float = 0.12
    dibao_edge: float = 0.04
    tekun_dispersed: float = 0.025
    tekun_central: float = 0.008
    assessed: float = 0.35
    disabled: float = 0.07
    died_recently: float = 0.015
    migrated: float = 0.9  # share of enrolled people paid by the earlier system through last month


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*((entry[0], entry[1]) for entry in weighted))
    return rng.choices(values, weights)[0]


class SyntheticCounty:
    """Generates roster rows (template header -> text) for a policy's items."""

    def __init__(self, policy: Policy, *, seed: int = 1, today: date | None = None, shape: CountyShape | None = None) -> None:
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self.shape = shape or CountyShape()
        self.codes = {item.code for item in policy.items}
        self.names = {item.code: item.name for item in policy.items}
        self.villages = {town: self._villages(town) for town in TOWNSHIPS}
        self._used_ids: set[str] = set()

    @staticmethod
    def townships() -> tuple[str, ...]:
        return TOWNSHIPS

    def _villages(self, town: str) -> list[str]:
        count = self.rng.randint(15, 30)
        names: set[str] = set()
        while len(names) < count:
            root = self.rng.choice(_VILLAGE_ROOTS)
            head = self.rng.choice(_VILLAGE_HEADS) if self.rng.random() < 0.3 else ""
            words = "".join(self.rng.choices(_VILLAGE_WORDS, k=1 if self.rng.random() < 0.7 else 2))
            names.add(f"{head}{words}{root}{'社区' if town == '凤城镇' and self.rng.random() < 0.3 else '村'}")
        return sorted(names)

    def _name(self, sex: str) -> str:
        rng = self.rng
        surname = rng.choice(_COMPOUND_SURNAMES) if rng.random() < 0.004 else _pick(rng, _SURNAMES)
        pool = _MALE_GIVEN if sex == "男" else _FEMALE_GIVEN
        given = "".join(rng.choices(pool, k=2 if rng.random() < 0.8 or len(surname) == 2 else 1))
        return surname + given

    def _id_number(self, birth: date, sex: str) -> str:
        while True:
            sequence = self.rng.randrange(0, 999)
            if (sequence % 2 == 1) != (sex == "男"):
                sequence = (sequence + 1) % 1000
            first17 = f"{REGION_CODE}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + check_digit(first17)
            if number not in self._used_ids:
                self._used_ids.add(number)
                return number

    def rows(self, count: int) -> list[dict[str, str]]:
        return [self.row() for _ in range(count)]

    def row(self) -> dict[str, str]:
        rng, shape, today = self.rng, self.shape, self.today
        low, high, _ = _pick_band(rng, shape.ages)
        age = rng.randint(low, high)
        birth = _birth_for_age(rng, today, age)
        sex = "女" if rng.random() < 0.56 else "男"
        town = rng.choice(TOWNSHIPS)
        rural = rng.random() < (0.4 if town == "凤城镇" else shape.rural)
        draw = rng.random()
        tekun = "分散" if draw < shape.tekun_dispersed else "集中" if draw < shape.tekun_dispersed + shape.tekun_central else "否"
        draw = rng.random()
        dibao = tekun == "否" and draw < shape.dibao
        edge = tekun == "否" and not dibao and draw < shape.dibao + shape.dibao_edge
        ability = ""
        if rng.random() < shape.assessed or tekun != "否":
            ability = rng.choices(("能力完好", "轻度失能", "中度失能", "重度失能", "完全失能"), (30, 30, 20, 12, 8))[0]
        self_care = rng.choices(("全自理", "半护理", "全护理"), (60, 25, 15))[0] if tekun == "分散" else ""
        kind = grade = ""
        if rng.random() < shape.disabled:
            kind = rng.choices(("肢体", "视力", "听力", "言语", "智力", "精神", "多重"), (45, 15, 15, 3, 7, 8, 7))[0]
            grade = rng.choices(("一级", "二级", "三级", "四级"), (10, 25, 35, 30))[0]

        items = self._items(age, dibao, edge, tekun, ability, kind, grade)
        start = paid_through = death = ""
        if items:
            eligible_from = Month.of(birth) + 80 * 12 + 1 if age >= 80 else Month.of(today) - rng.randint(1, 36)
            start_month = max(eligible_from, Month.of(today) - 60)
            start = str(start_month)
            if rng.random() < shape.migrated and start_month < Month.of(today):
                paid_through = str(Month.of(today) - 1)
        if rng.random() < shape.died_recently:
            death = (today - timedelta(days=rng.randint(20, 180))).isoformat()
        bank_name = account = ""
        if items:
            bank_name, _, prefix = _pick_bank(rng)
            account = prefix + "".join(rng.choices("0123456789", k=15))
        return {
            "姓名": self._name(sex),
            "身份证号": self._id_number(birth, sex),
            "性别": sex,
            "出生日期": birth.isoformat(),
            "乡镇": town,
            "村(社区)": rng.choice(self.villages[town]),
            "户籍性质": "农村" if rural else "城镇",
            "联系电话": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}" if rng.random() < 0.6 else "",
            "低保": "是" if dibao else "否",
            "低保边缘": "是" if edge else "",
            "特困供养": tekun if tekun != "否" else "",
            "自理能力": self_care,
            "能力评估等级": ability,
            "残疾类别": kind,
            "残疾等级": grade,
            "开户银行": bank_name,
            "银行账号": account,
            "享受项目": "、".join(self.names[code] for code in items),
            "起始月份": start,
            "已发放至": paid_through,
            "死亡日期": death,
        }

    def _items(self, age, dibao, edge, tekun, ability, kind, grade) -> list[str]:
        """The items a clerk would have enrolled this person in (the ledger decides the money)."""
        wanted = []
        disabled_care = ability in ("中度失能", "重度失能", "完全失能")
        for code, condition in (
            ("GLBT", age >= 80), ("GLJT", age >= 80),
            ("YLFW", dibao and 80 <= age <= 99),
            ("HLBT", (dibao or edge) and disabled_care and tekun == "否"),
            ("FSGY", tekun == "分散"),
            ("CJSH", bool(kind) and (dibao or edge)),
            ("ZDHL", grade in ("一级", "二级")),
            ("JZHL", grade in ("三级", "四级") and kind in ("精神", "智力")),
        ):
            if condition and code in self.codes:
                wanted.append(code)
        return wanted


def _pick_band(rng: random.Random, bands):
    return rng.choices(bands, [band[2] for band in bands])[0]


def _pick_bank(rng: random.Random):
    return rng.choices(BANKS, [bank[1] for bank in BANKS])[0]


def _birth_for_age(rng: random.Random, today: date, age: int) -> date:
    """A birth date at which the person is `age` today."""
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)
