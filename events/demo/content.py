"""The content of the demo: the 中四国 session of 2023-12-15 that the product is modelled on, and
its neighbours.

People and addresses are invented; municipality codes, the agenda and the kind of answers follow
the real meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from events.lib.formatting import TOKYO
from events.sessions.agenda import Segment

SERIES_TITLE = "中四国エリア 庁内デジタル人材育成 情報交換会"
SERIES_DESCRIPTION = (
    "中国・四国地方の自治体が、庁内のデジタル人材育成の取組を共有し、"
    "共通の課題について意見交換するオンラインの情報交換会です。"
)
# As written before the seed session (the future tense); its report tells it in the past.
BACKGROUND = (
    "自治体DXの推進にあたり、各自治体ではデジタル人材の確保・育成が課題となっています。"
    "本情報交換会では、DX推進計画やDX人材育成計画、研修の対象者や内容について情報を共有し、"
    "人事部門との連携や育成の効果測定について意見交換します。"
)
MEETING_URL = "https://zoom.example.jp/j/8123456789"
MEETING_PASSCODE = "chushikoku"

SHARING_ITEMS = ("DX推進計画", "DX人材育成計画の概要", "研修対象者の設定の仕方", "具体的な研修内容")
AGENDA = (
    Segment(kind="other", title="開会・趣旨説明", minutes=5),
    Segment(kind="sharing", title="情報共有", minutes=40, items=SHARING_ITEMS),
    Segment(
        kind="discussion",
        title="人事部門との連携",
        minutes=30,
        items=(
            "人事部門の人材育成計画とデジタル人材育成方針の連動",
            "研修受講歴の人事部門への共有",
            "人事異動・評価への反映",
        ),
    ),
    Segment(
        kind="discussion",
        title="期待する効果とKPI",
        minutes=30,
        items=("知識の定着度の測り方", "意識の変化・業務での活用の可視化", "IT資格の取得数"),
    ),
    Segment(kind="other", title="閉会", minutes=5),
)


@dataclass(frozen=True)
class DemoPerson:
    name: str
    department: str
    position: str  # events.enums.Position
    is_digital_department: bool
    share_contact: bool
    reading: str = ""


@dataclass(frozen=True)
class DemoDelegation:
    code: str
    email_domain: str
    plan_status: str  # events.enums.PlanStatus
    people: tuple[DemoPerson, ...]
    # One answer per sharing item of the seed session, in SHARING_ITEMS order.
    answers: tuple[str, str, str, str]
    # The coordinator agreed that the report may name the municipality beside its answers.
    report_consent: bool = False


# The people's よみがな, as their coordinators typed them (one left out, as it is optional).
READINGS = {
    "岡田 美咲": "おかだ みさき",
    "三宅 健太": "みやけ けんた",
    "藤井 直樹": "フジイ ナオキ",
    "小林 彩": "コバヤシ アヤ",
    "村上 拓也": "むらかみ たくや",
    "山本 玲奈": "やまもと れいな",
    "松田 聡": "まつだ さとし",
    "河野 真由": "こうの まゆ",
    "大西 和也": "おおにし かずや",
}


def _person(name: str, department: str, position: str, digital: bool = True) -> DemoPerson:
    return DemoPerson(
        name,
        department,
        position,
        digital,
        share_contact=position != "manager",
        reading=READINGS.get(name, ""),
    )


# The seven local governments of 2023-12-15, in the organizer's order.
DELEGATIONS = (
    DemoDelegation(
        "330001",
        "pref.okayama.example.lg.jp",
        "adopted",
        (
            _person("岡田 美咲", "デジタル推進課", "manager"),
            _person("三宅 健太", "デジタル推進課", "staff"),
        ),
        (
            "令和5年3月に県DX推進計画を改定しました。",
            "全職員を対象に段階別の育成方針を定めています。",
            "管理職・中堅職員・一般職員・DX担当の4区分で対象者を設定しています。",
            "オンラインと集合研修のハイブリッド、ワークショップ形式の演習を実施しています。",
        ),
    ),
    DemoDelegation(
        "331007",
        "city.okayama.example.lg.jp",
        "adopted",
        (_person("藤井 直樹", "情報政策課", "mid"), _person("小林 彩", "人事課", "staff", False)),
        (
            "市DX推進計画に人材育成の章を設けています。",
            "DX人材育成計画を令和5年度に策定しました。",
            "希望制と指名制を組み合わせて対象者を選んでいます。",
            "ITパスポート試験の受験料を補助しています。",
        ),
    ),
    DemoDelegation(
        "341002",
        "city.hiroshima.example.lg.jp",
        "adopted",
        (_person("村上 拓也", "デジタル化推進担当", "mid"),),
        (
            "DX推進計画に基づき全庁で業務改革を進めています。",
            "リーダー層・推進層・全職員層の3層で育成しています。",
            "各課のDX推進員を中心に研修を行っています。",
            "Udemy Businessの受講推奨コース一覧を作成しています。",
        ),
        report_consent=True,
    ),
    DemoDelegation(
        "320005",
        "pref.shimane.example.lg.jp",
        "drafting",
        (_person("山本 玲奈", "情報政策課", "staff"),),
        (
            "DX推進計画を策定済みで、人材育成計画は策定中です。",
            "育成計画は今年度中の策定を目指しています。",
            "まずは管理職向けの研修から始めています。",
            "管理職向けにDXの基礎を学ぶ講義を実施しました。",
        ),
    ),
    DemoDelegation(
        "350001",
        "pref.yamaguchi.example.lg.jp",
        "adopted",
        (
            _person("松田 聡", "デジタル政策課", "manager"),
            _person("河野 真由", "人事課", "mid", False),
        ),
        (
            "やまぐちDX推進計画に沿って取り組んでいます。",
            "デジタル人材育成方針を人事部門と共同で策定しました。",
            "役職と職種に応じて必修研修と選択研修を分けています。",
            "「通勤中に聴ける」講座の紹介など、学びやすい工夫をしています。",
        ),
        report_consent=True,
    ),
    DemoDelegation(
        "370002",
        "pref.kagawa.example.lg.jp",
        "drafting",
        (_person("大西 和也", "デジタル戦略課", "mid"),),
        (
            "DX推進計画を改定中です。",
            "人材育成計画の骨子を検討しています。",
            "DX担当職員の育成を優先しています。",
            "データ活用の実践研修を試行しています。",
        ),
    ),
    DemoDelegation(
        "390003",
        "pref.kochi.example.lg.jp",
        "not_started",
        (_person("浜田 悠", "デジタル政策課", "staff"),),
        (
            "DX推進計画の策定準備を進めています。",
            "人材育成計画はこれから検討します。",
            "対象者の設定方法を他県の例から学びたいと考えています。",
            "まずは全職員向けの意識啓発研修を検討しています。",
        ),
    ),
)

# Municipalities already registered for the upcoming session (by code, from DELEGATIONS).
UPCOMING_REGISTERED = ("331007", "320005", "390003")

# The organizer's notes of the seed session: per discussion topic (by title), then the
# closing words.
NOTES = {
    "人事部門との連携": (
        "人事部門の人材育成計画にデジタル人材の育成方針を位置付けている自治体と、"
        "これから連携を始める自治体に分かれました。研修受講歴を人事システムに登録し、"
        "人事異動の参考にしている例が紹介されました。"
    ),
    "期待する効果とKPI": (
        "研修の効果測定として、受講前後のアンケートで意識の変化を把握する方法が多く挙げられました。"
        "IT資格の取得数をKPIとする例がある一方、業務での活用をどう可視化するかは共通の課題です。"
    ),
    "": (
        "デジタル人材の育成は、研修を用意するだけでは続きません。人事部門と早い段階から方針を"
        "すり合わせ、受講歴や資格を異動・評価に生かす仕組みをつくることが大切だと、"
        "参加した皆さまと確認できました。\n\n"
        "効果の測り方は、どの自治体もまだ模索の途中です。次回は、受講前後のアンケートや"
        "業務での活用事例を持ち寄り、効果測定をさらに深掘りします。ぜひご参加ください。"
    ),
}
# Notes per discussion group (topic title, group number as assigned: 1 is グループA).
GROUP_NOTES = {
    ("人事部門との連携", 1): (
        "人事課の職員が研修の企画に加わったことで、受講が人事評価の面談で話題になるように"
        "なったという報告がありました。"
    ),
    ("人事部門との連携", 2): (
        "デジタル部門だけで育成計画を作ると異動で担い手が途切れるため、"
        "人事部門と共同で計画を策定した例が参考になるという意見が多く出ました。"
    ),
    ("期待する効果とKPI", 1): (
        "資格の取得数は分かりやすい一方で、取得が目的化しないよう業務改善の件数も"
        "併せて見ているという例が紹介されました。"
    ),
}
REPORT_TAGS = ("人材育成", "人事連携", "KPI")


@dataclass(frozen=True)
class DemoComment:
    """A respondent's answers to the two free-text questions of the default survey."""

    plans: str
    remarks: str
    # Ticked: the answers may be quoted, unnamed, in the report's 参加者の声.
    quote_consent: bool


# Free-text answers by respondent (index into the scores below); not everyone writes one.
SURVEY_COMMENTS = {
    0: DemoComment(
        "人事課と一緒に、研修の受講履歴を人事評価の面談で使えるか検討したいです。",
        "他県の育成方針の作り方が具体的で、すぐに参考にできました。",
        quote_consent=True,
    ),
    2: DemoComment(
        "",
        "KPIを資格の数だけにしないという話が印象に残りました。",
        quote_consent=True,
    ),
    3: DemoComment(
        "来年度の研修計画に、管理職向けのワークショップを入れたいです。",
        "時間が足りなかったので、次回はもう少し長く意見交換したいです。",
        quote_consent=False,
    ),
    6: DemoComment(
        "庁内ポータルで受講者の声を紹介してみます。",
        "",
        quote_consent=True,
    ),
}
# Scores of the default survey per respondent: usefulness, understanding, reluctance before/after.
SURVEY_SCORES = (
    (5, 4, 4, 2),
    (4, 4, 3, 2),
    (5, 5, 4, 3),
    (4, 3, 3, 3),
    (5, 4, 5, 2),
    (5, 4, 4, 2),
    (4, 5, 3, 1),
    (5, 4, 4, 3),
    (4, 4, 4, 2),
)

# 第1回 (2023-09-22): the first five local governments, on where to begin.
FIRST_BACKGROUND = (
    "多くの自治体がDX推進計画を策定し、庁内の推進体制づくりと職員の学び直しに取り組み始めています。"
    "第1回では、各自治体の推進体制と研修の実施状況を共有し、研修を受けてもらう工夫と"
    "外部人材の活用について意見交換します。"
)
FIRST_SHARING_ITEMS = ("DX推進体制", "研修の実施状況")
FIRST_AGENDA = (
    Segment(kind="other", title="開会・趣旨説明", minutes=5),
    Segment(kind="sharing", title="情報共有", minutes=35, items=FIRST_SHARING_ITEMS),
    Segment(
        kind="discussion",
        title="研修の受講率を上げる工夫",
        minutes=35,
        items=(
            "業務時間内に受講の時間をどう確保するか？",
            "管理職の理解をどう得るか？",
            "受講を促す庁内広報に何が効くか？",
        ),
    ),
    Segment(
        kind="discussion",
        title="外部人材・外部サービスの活用",
        minutes=35,
        items=(
            "外部デジタル人材にどんな役割を任せるか？",
            "民間の研修サービスをどう選ぶか？",
        ),
    ),
    Segment(kind="other", title="閉会", minutes=10),
)
# One answer per item of FIRST_SHARING_ITEMS, by municipality code.
FIRST_ANSWERS = {
    "330001": (
        "知事を本部長とするDX推進本部を置き、各部局にDX推進リーダーを配置しています。",
        "全職員向けのeラーニングを始め、受講率は約6割です。",
    ),
    "331007": (
        "情報政策課がDX推進の事務局を担い、各課に推進員を置いています。",
        "新規採用職員研修にデジタルの基礎講座を組み込みました。",
    ),
    "341002": (
        "CDO補佐官として民間出身の外部人材を任用しています。",
        "推進員向けに業務改善の実践研修を年2回開いています。",
    ),
    "320005": (
        "情報政策課が中心となり、推進体制を検討しています。",
        "研修はこれからで、まずは管理職向けの講義を予定しています。",
    ),
    "350001": (
        "デジタル推進局を新設し、人事課と定期的に協議しています。",
        "職員が自分のペースで学べるよう、動画講座を庁内ポータルで紹介しています。",
    ),
}
FIRST_NOTES = {
    "研修の受講率を上げる工夫": (
        "受講時間を勤務時間として明確に認めたことで受講率が上がったという例が共有されました。"
        "管理職が先に受講し、部下に勧める流れをつくることが効果的だという意見で一致しました。"
    ),
    "外部人材・外部サービスの活用": (
        "外部人材には計画づくりの助言だけでなく、職員と一緒に業務改善に取り組む役割を"
        "期待する声が多く聞かれました。民間の研修サービスは、試行して受講者の声を聞いてから"
        "本格導入する自治体が多いことが分かりました。"
    ),
    "": (
        "推進体制も研修も、各自治体が手探りで始めている段階です。"
        "次回は、人材育成計画と人事部門との連携をテーマに、さらに踏み込んで意見交換します。"
    ),
}
FIRST_GROUP_NOTES: dict[tuple[str, int], str] = {
    ("研修の受講率を上げる工夫", 2): (
        "庁内ポータルに受講者の声を載せたところ、翌月の受講者が増えたという報告がありました。"
    ),
}
FIRST_REPORT_TAGS = ("推進体制", "研修", "外部人材")
FIRST_SURVEY_SCORES = ((4, 4, 4, 3), (4, 3, 3, 3), (5, 4, 4, 3), (3, 3, 4, 4), (4, 4, 3, 2))
FIRST_SURVEY_COMMENTS = {
    1: DemoComment(
        "まずは推進体制を整理し、CIO補佐官の役割を明確にしたいです。",
        "同じ悩みを持つ団体が多いと分かり、心強く感じました。",
        quote_consent=True,
    ),
    4: DemoComment(
        "外部人材の活用方法を庁内で提案してみます。",
        "",
        quote_consent=False,
    ),
}


@dataclass(frozen=True)
class PastSession:
    """A held and reported session of the demo, with everything its report is made of."""

    title: str
    starts_at: dt.datetime
    background: str
    agenda: tuple[Segment, ...]
    delegations: tuple[DemoDelegation, ...]
    # One answer per sharing item, by municipality code.
    answers: Mapping[str, tuple[str, ...]]
    # Per topic title ("" for the closing words), and per (topic title, group number).
    notes: Mapping[str, str]
    group_notes: Mapping[tuple[str, int], str]
    survey_scores: tuple[tuple[int, int, int, int], ...]
    tags: tuple[str, ...]
    survey_comments: Mapping[int, DemoComment]


PAST_SESSIONS = (
    PastSession(
        "第1回 情報交換会",
        dt.datetime(2023, 9, 22, 14, tzinfo=TOKYO),
        FIRST_BACKGROUND,
        FIRST_AGENDA,
        DELEGATIONS[:5],
        FIRST_ANSWERS,
        FIRST_NOTES,
        FIRST_GROUP_NOTES,
        FIRST_SURVEY_SCORES,
        FIRST_REPORT_TAGS,
        FIRST_SURVEY_COMMENTS,
    ),
    PastSession(
        "第2回 情報交換会",
        dt.datetime(2023, 12, 15, 14, tzinfo=TOKYO),
        BACKGROUND,
        AGENDA,
        DELEGATIONS,
        {delegation.code: delegation.answers for delegation in DELEGATIONS},
        NOTES,
        GROUP_NOTES,
        SURVEY_SCORES,
        REPORT_TAGS,
        SURVEY_COMMENTS,
    ),
)
