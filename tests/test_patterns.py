"""Golden cases for the fixed forms of a page: datelines, bylines, credits, notices, continuations."""

from __future__ import annotations

import pytest

from segmenter import patterns as P
from segmenter.features import PageView, line_features
from segmenter.lines import split_lines


@pytest.mark.parametrize(
    ("line", "dateline", "only"),
    [
        ("新华社北京1月25日电 日前，中央军委印发", "新华社北京1月25日电", False),
        ("新华社北京１月２５日电　日前", "新华社北京1月25日电", False),
        ("（新华社北京1月25日电）", "新华社北京1月25日电", True),
        ("(新华社北京1月26日电)", "新华社北京1月26日电", True),
        ("据新华社日内瓦1月24日电（记者王其冰）世界卫生组织", "据新华社日内瓦1月24日电", False),
        ("本报北京１月９日讯记者赵志文报道：", "本报北京1月9日讯", False),
        ("本报讯 记者李杰报道：郑州市", "本报讯", False),
        ("新华社华盛顿十二月三十一日电 美国", "新华社华盛顿十二月三十一日电", False),
        ("新华社北京1月26日电(记者 刘诗平)2026年我国", "新华社北京1月26日电", False),
        ("## 新华社北京1月25日电 正文", "新华社北京1月25日电", False),
        ("本报西安电 记者孟西安报道：1月10日上午", "本报西安电", False),
        ("（本报开罗电）", "本报开罗电", True),
        ("本报记者王平电话采访了有关负责人", None, False),
        ("据新华社成都电(记者岳林才)成都军区从1997年起", "据新华社成都电", False),
        ("(据新华社电)", "据新华社电", True),
        ("（本报专电）", "本报专电", True),
        ("新华社电视新闻部今天播出", None, False),
        ("本报电视台今晚播出", None, False),
        ("记者从新华社北京分社获悉，1月25日", None, False),
        ("我国将加快建设新型预报预测体系", None, False),
    ],
)
def test_dateline(line: str, dateline: str | None, only: bool) -> None:
    assert P.find_dateline(line) == dateline
    assert P.is_dateline_only(line) is only


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("□ 新华社记者", True),
        ("□新华社记者", True),
        ("新华社记者 谢希瑶 黄韬铭 王丰昊", True),
        ("新华社“新华视点”记者", True),
        ("本报记者 刘亮明", True),
        ("本报评论员", True),
        ("新华社北京1月25日电 记者王其冰报道", False),
        ("社会工作事关党长期执政和国家长治久安，事关社会和谐稳定和人民幸福安康，面向最广泛的社会领域", False),
    ],
)
def test_byline(line: str, expected: bool) -> None:
    assert P.is_byline(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("（新华社记者 旦增尼玛曲珠 摄）", True),
        ("新华社发(孟德龙 摄)", True),
        ("（新华社发 南非国家公园管理局供图）", True),
        ("（孙国维摄）", True),
        ("这是1月15日拍摄的南非克鲁格国家公园内一处被洪水淹没的区域", False),
        ("(赵荣林摄影报道)", True),
        ("火箭在卡纳维拉尔角空军基地顺利升空。（新华社发美联社照片）", True),
        ("本报讯（新华社发）今天举行的会议决定，明年起实行新的办法。", False),
        ("本报记者刘杰摄影报道", True),
        ("摄影展在京开幕，展出作品两百幅。", False),
        ("本报将陆续刊发这组摄影报道的续篇。", False),
    ],
)
def test_credit(line: str, expected: bool) -> None:
    assert P.is_credit(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [("（上接第一版）中非开启外交关系", True), ("(上接第3版)", True), ("上接第二版", True), ("（紧接第７版）长野冬奥会", True),
     ("接上文", False)],
)
def test_continued_from(line: str, expected: bool) -> None:
    assert P.is_continued_from(line) is expected


@pytest.mark.parametrize(
    ("line", "level", "plain"),
    [("# 标题", 1, "标题"), ("## ——副题", 2, "——副题"), ("###（二）", 3, "（二）"), ("正文", 0, "正文")],
)
def test_markdown_marks(line: str, level: int, plain: str) -> None:
    assert P.heading_level(line) == level
    assert P.strip_markdown(line) == plain


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("公告", "notice", True),
        ("山东诚信拍卖有限公司 拍卖公告", "notice", True),
        ("债权债务转让公告", "notice", True),
        ("（二）", "section_no", True),
        ("三、加强组织领导", "section_no", True),
        ("——我国社会工作取得新成效、开创新局面", "deck", True),
        ("（上接第一版）中非开启", "cont_from", True),
        ("研究表明，新材料性能提升显著（下转第四版）", "cont_to", True),
        ("这是1月15日拍摄的洪水", "caption_start", True),
        ("图为志愿者为外卖员送上腊八粥。", "caption_start", True),
        ("腊八到 粥飘香", "space", True),
        ("世卫组织：美国决定退出世卫的理由“不实”", "colon", True),
        ("正文一句话。", "end", "stop"),
        ("没有句号的标题", "end", "cjk"),
        ("，现在的农村也不是人多力量大", "mid", True),
        ("；２·企业要果断地推进结构调整", "mid", True),
        ("现在的农村也不是人多力量大", "mid", False),
    ],
)
def test_line_features(line: str, key: str, value: object) -> None:
    # a false flag is left out (DictVectorizer's 0.0)
    assert line_features(line, 1, 1).get(key, False) == value


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("债权债务转让公告", True),
        ("## 山东诚信拍卖有限公司 拍卖公告", True),
        ("**遗失声明**", True),
        ("关于调整公交线路的通知", True),
        ("国务院新闻办公室就稳外贸稳外资政策措施举行新闻发布会并发布有关公告", False),  # a news headline: over 30 characters
        ("公告牌前的人们", False),
    ],
)
def test_notice_titles(headline: str, expected: bool) -> None:
    assert P.is_notice_title(headline) is expected


def test_full_and_half_width_give_the_same_features() -> None:
    full = line_features("（新华社北京１月２５日电）", 1, 1)
    half = line_features("(新华社北京1月25日电)", 1, 1)
    assert full == half


@pytest.mark.parametrize(
    "text",
    ["新华社北京１月２５日电（记者 王平），今天：晴；", "，\u0301（\u0308）Ａ", "ｆｉ，ﬁ：①", "a\u200b，b", "没有全角", "，，：；（）", ""],
)
def test_norm_is_nfkc_without_zero_width_characters(text: str) -> None:
    import unicodedata

    # norm replaces the commonest full-width marks before it normalises: each as NFKC writes it
    for full in "，：；（）":
        assert len(unicodedata.normalize("NFKC", full)) == 1 and unicodedata.combining(full) == 0
    want = "".join(c for c in unicodedata.normalize("NFKC", text) if c not in "\u200b\u200c\u200d\u2060\ufeff")
    assert P.norm.__wrapped__(text) == want


def test_digits_are_counted_as_str_isdigit_counts_them() -> None:
    from segmenter.features import _NEVER_DIGITS

    # the runs the count skips hold no digit of any kind (a superscript or a circled digit is one too)
    assert not any(chr(c).isdigit() for c in range(0x110000) if _NEVER_DIGITS.fullmatch(chr(c)))
    for text in ("1998年3月5日", "第２版", "❶❷ 两点", "x²+y²", "١٢٣ 阿拉伯数字", "没有数字", "a1,b2。"):
        s = P.norm(text).strip()
        assert line_features(text, 1, 1)["digits"] == min(sum(map(str.isdigit, s)) / len(s) * 3, 1.0)


@pytest.mark.parametrize(
    "page, levels",
    [("### 标题\n正文。\n### 小标题\n正文。", "1"), ("# 标题\n正文。\n### 小标题\n正文。", "2"), ("标题\n正文。", "0")],
)
def test_page_heading_levels_are_counted_for_every_line(page: str, levels: str) -> None:
    local = PageView(split_lines(page)).local(None)
    assert {f["levels"] for f in local} == {levels}


@pytest.mark.parametrize(
    "line, level, stripped",
    [
        ("## 中央军委印发规定", 2, "中央军委印发规定"),
        ("**中央军委印发规定**", P.BOLD_LEVEL, "中央军委印发规定"),
        ("__中央军委印发规定__", P.BOLD_LEVEL, "中央军委印发规定"),
        ("### **（二）**", 3, "（二）"),
        ("**新华社**北京1月25日电 日前", 0, "**新华社**北京1月25日电 日前"),
        ("正文里有**加粗**的词。", 0, "正文里有**加粗**的词。"),
    ],
)
def test_heading_marks_and_bold_lines(line: str, level: int, stripped: str) -> None:
    assert P.heading_level(line) == level
    assert P.strip_markdown(line) == stripped


@pytest.mark.parametrize(
    "line, expected",
    [
        ("图片：", True),
        ("附图：南京路夜景", True),
        ("压题照片：水东乡的蔬菜大棚。（秦红宇 摄）", True),
        ("压题照片为哥斯达黎加的活火山口。", True),
        ("题图：新建的社区服务中心", True),
        ("图为工人在调试设备。", False),
        ("照片中的人物是谁？", False),
        ("题目已经定下来了。", False),
    ],
)
def test_picture_labels(line: str, expected: bool) -> None:
    assert (P.PICTURE_LABEL.match(P.norm(line)) is not None) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("第3版 要闻", True),
        ("人民日报", True),
        ("新华每日电讯 2026年1月26日", True),
        ("要闻 2", True),
        ("3", True),
        ("电子信箱：yaowen@people.cn", True),
        ("本版责编：王珏", True),
        ("人民日报评论员", False),  # a commentary's signature, not a running head
        ("十四五规划 3", False),
        ("中央军委印发《军队党组织选举工作规定》", False),
    ],
)
def test_running_head(line: str, expected: bool) -> None:
    assert (P.RUNNING_HEAD.search(P.norm(line)) is not None) is expected



@pytest.mark.parametrize(
    ("line", "expected"),
    [("---", True), ("======", True), ("***", True), ("___", True), ("--", False), ("——", False), ("-5℃", False), ("**标题**", False)],
)
def test_rule(line: str, expected: bool) -> None:
    assert P.is_rule(line) is expected
