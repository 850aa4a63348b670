"""The nation (民族) codes of GB 3304 as ID cards carry them: the card prints the short Chinese name
("汉", not "汉族"), so that is the name kept here; English names are the common ones."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Nation:
    code: str   # two digits, as in the card's text block
    zh: str
    en: str


_TABLE = (
    ("01", "汉", "Han"), ("02", "蒙古", "Mongol"), ("03", "回", "Hui"), ("04", "藏", "Tibetan"),
    ("05", "维吾尔", "Uyghur"), ("06", "苗", "Miao"), ("07", "彝", "Yi"), ("08", "壮", "Zhuang"),
    ("09", "布依", "Bouyei"), ("10", "朝鲜", "Korean"), ("11", "满", "Manchu"), ("12", "侗", "Dong"),
    ("13", "瑶", "Yao"), ("14", "白", "Bai"), ("15", "土家", "Tujia"), ("16", "哈尼", "Hani"),
    ("17", "哈萨克", "Kazakh"), ("18", "傣", "Dai"), ("19", "黎", "Li"), ("20", "傈僳", "Lisu"),
    ("21", "佤", "Va"), ("22", "畲", "She"), ("23", "高山", "Gaoshan"), ("24", "拉祜", "Lahu"),
    ("25", "水", "Sui"), ("26", "东乡", "Dongxiang"), ("27", "纳西", "Naxi"), ("28", "景颇", "Jingpo"),
    ("29", "柯尔克孜", "Kyrgyz"), ("30", "土", "Tu"), ("31", "达斡尔", "Daur"), ("32", "仫佬", "Mulao"),
    ("33", "羌", "Qiang"), ("34", "布朗", "Blang"), ("35", "撒拉", "Salar"), ("36", "毛南", "Maonan"),
    ("37", "仡佬", "Gelao"), ("38", "锡伯", "Xibe"), ("39", "阿昌", "Achang"), ("40", "普米", "Pumi"),
    ("41", "塔吉克", "Tajik"), ("42", "怒", "Nu"), ("43", "乌孜别克", "Uzbek"), ("44", "俄罗斯", "Russian"),
    ("45", "鄂温克", "Evenki"), ("46", "德昂", "De'ang"), ("47", "保安", "Bonan"), ("48", "裕固", "Yugur"),
    ("49", "京", "Gin"), ("50", "塔塔尔", "Tatar"), ("51", "独龙", "Derung"), ("52", "鄂伦春", "Oroqen"),
    ("53", "赫哲", "Hezhen"), ("54", "门巴", "Monba"), ("55", "珞巴", "Lhoba"), ("56", "基诺", "Jino"),
    ("97", "其他", "Other"),
    ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin"),
)

NATIONS: dict[str, Nation] = {code: Nation(code, zh, en) for code, zh, en in _TABLE}


def lookup(code: str) -> Nation | None:
    """The nation for a code as read ("01", or "1" as some forms type it); None if unknown."""
    return NATIONS.get(code.strip().zfill(2))
