"""Deterministic company-site prose in English and Chinese for the lab world.

Sentences are built from templates with several slots, each drawn from word banks, so two
unrelated sites share almost no 4-word runs, while a copied site shares most of them.
"""

from __future__ import annotations

import random

_EN_TEMPLATES = [
    "{name} delivers {adj} {service} for {industry} companies across {region}.",
    "Our {role}s build {adj} {tech} platforms that help {industry} teams {verb} faster.",
    "Since {year}, {name} has partnered with {industry} leaders to {verb} their {asset}.",
    "We combine {tech} expertise with {adj} {practice} to {verb} complex {asset}.",
    "Every engagement starts with a {adj} {practice} workshop led by a senior {role}.",
    "Clients in {region} rely on {name} to {verb} {asset} without {risk}.",
    "The {tech} team at {name} ships {adj} releases every {period}.",
    "We hire {role}s who care about {value} and {value2} above all.",
    "A dedicated {role} keeps your {asset} {adj} while our {role2}s {verb} the roadmap.",
    "Our {practice} approach cut {risk} by {pct} percent for a {industry} client in {region}.",
    "{name} offers {service} and {service2} under one {adj} contract.",
    "From {tech} to {tech2}, our engineers {verb} {asset} that scale.",
    "We measure success by {value}, {value2} and the {asset} our clients keep.",
    "Talk to a {role} about {service} for your {industry} business in {region}.",
    "Our offices in {city} and {city2} support clients around the clock.",
    "{name} follows {practice} so that {asset} reach production {adj} and on time.",
    "We turn {adj} ideas into {tech} products for {industry} founders.",
    "With {num} {role}s on staff, {name} can {verb} your {asset} within a {period}.",
    "Our {service} practice is certified for {tech} and {tech2} workloads.",
    "Partnering with {name} means {value} at every stage of {service}.",
]
_EN = {
    "adj": "reliable scalable secure modern tailored agile robust elegant pragmatic resilient "
    "transparent measurable lean bespoke proven seamless adaptive efficient innovative "
    "enterprise-grade cost-effective accessible data-driven cloud-native".split(),
    "service": [
        "custom software development", "mobile app development", "cloud migration",
        "quality assurance", "UI/UX design", "DevOps consulting", "data engineering",
        "staff augmentation", "web development", "blockchain development",
        "machine learning consulting", "legacy modernisation", "API integration",
        "e-commerce development", "IT outsourcing", "managed support",
    ],
    "industry": "fintech healthcare logistics retail insurance education media travel "
    "real-estate manufacturing energy telecom gaming biotech automotive agritech".split(),
    "region": [
        "North America", "Western Europe", "the Nordics", "the Middle East", "Southeast Asia",
        "Latin America", "Eastern Europe", "Australia", "the DACH region", "the Baltics",
    ],
    "role": "developer engineer architect designer analyst tester consultant manager "
    "strategist specialist".split(),
    "tech": "React Node.js Python Java Kotlin Swift Flutter Go Rust .NET Angular Vue AWS "
    "Azure GCP Kubernetes Terraform Django Laravel Solidity TensorFlow PostgreSQL".split(),
    "verb": "modernise automate scale launch secure streamline migrate redesign integrate "
    "optimise rebuild accelerate".split(),
    "asset": "products platforms applications pipelines workflows systems portals "
    "dashboards services marketplaces".split(),
    "practice": "agile scrum kanban design-thinking test-driven lean-startup "
    "continuous-delivery domain-driven".split(),
    "risk": "downtime rework delays defects overruns churn outages".split(),
    "value": "ownership candour craftsmanship speed curiosity accountability empathy "
    "clarity".split(),
    "period": "week sprint fortnight month quarter".split(),
    "city": [
        "Warsaw", "Kyiv", "Lisbon", "Austin", "Toronto", "Dubai", "Singapore", "Tallinn",
        "Krakow", "Bucharest", "Sofia", "Vilnius", "Seattle", "Denver", "Manila", "Hanoi",
    ],
}

_ZH_TEMPLATES = [
    "{name}致力于为{industry}客户提供{adj}的{service}服务。",
    "我们的{role}团队精通{tech}，帮助企业{verb}{asset}。",
    "自{year}年以来，{name}已为{region}的{industry}企业完成{num}个项目。",
    "公司坚持{value}与{value2}的理念，以{practice}方式交付{asset}。",
    "{name}在{city}和{city2}设有研发中心，提供全天候技术支持。",
    "我们为{industry}行业打造{adj}的{tech}平台，显著降低{risk}。",
    "每个项目都由资深{role}负责，确保{asset}按时上线。",
    "选择{name}，意味着获得{adj}、专业、透明的{service}。",
    "我们的{service}团队通过{practice}流程持续{verb}客户的{asset}。",
    "{name}拥有{num}名{role}，覆盖{tech}与{tech2}等主流技术。",
    "凭借{adj}的服务，我们赢得了{region}众多{industry}客户的信赖。",
    "我们提供{service}与{service2}一站式解决方案。",
    "在{tech}领域，{name}帮助客户将{risk}减少{pct}%。",
    "欢迎与我们的{role}联系，了解{service}如何助力您的{industry}业务。",
]
_ZH = {
    "adj": "可靠 高效 安全 灵活 专业 创新 稳定 敏捷 领先 定制化 智能 优质".split(),
    "service": "软件开发 移动应用开发 云迁移 质量保证 界面设计 运维咨询 数据工程 人才外包 "
    "网站建设 区块链开发 人工智能咨询 系统集成 电商开发 信息技术外包".split(),
    "industry": "金融 医疗 物流 零售 保险 教育 传媒 旅游 房地产 制造 能源 通信 游戏 汽车".split(),
    "region": "北美 欧洲 东南亚 中东 拉丁美洲 澳大利亚 日本 韩国 香港 东欧".split(),
    "role": "工程师 架构师 设计师 分析师 测试工程师 顾问 项目经理 开发人员".split(),
    "tech": "Java Python React 云计算 大数据 人工智能 区块链 物联网 微服务 Kubernetes "
    "Flutter 小程序".split(),
    "verb": "优化 升级 重构 扩展 整合 自动化 加速 保护".split(),
    "asset": "产品 平台 应用 系统 业务流程 数据中台 门户网站 交易系统".split(),
    "practice": "敏捷开发 持续交付 精益管理 测试驱动 领域驱动".split(),
    "risk": "运维成本 故障率 交付延期 安全风险 人力成本".split(),
    "value": "诚信 创新 专注 共赢 责任 卓越".split(),
    "city": "沈阳 大连 丹东 北京 上海 深圳 杭州 成都 武汉 西安 香港 新加坡".split(),
}


def _fill(template: str, bank: dict[str, list[str]], name: str, rng: random.Random) -> str:
    def pick(key: str) -> str:
        return rng.choice(bank[key])

    return template.format(
        name=name,
        adj=pick("adj"),
        service=pick("service"),
        service2=pick("service"),
        industry=pick("industry"),
        region=pick("region"),
        role=pick("role"),
        role2=pick("role"),
        tech=pick("tech"),
        tech2=pick("tech"),
        verb=pick("verb"),
        asset=pick("asset"),
        practice=pick("practice"),
        risk=pick("risk"),
        value=pick("value"),
        value2=pick("value"),
        period=pick("period") if "period" in bank else "",
        city=pick("city"),
        city2=pick("city"),
        year=rng.randint(2005, 2021),
        num=rng.randint(12, 480),
        pct=rng.randint(15, 70),
    )


def sentence(lang: str, name: str, rng: random.Random) -> str:
    """One sentence of company prose in ``lang`` ("en" or "zh") mentioning ``name`` or not."""
    templates, bank = (_ZH_TEMPLATES, _ZH) if lang == "zh" else (_EN_TEMPLATES, _EN)
    return _fill(rng.choice(templates), bank, name, rng)


def company_text(lang: str, name: str, rng: random.Random, sentences: int = 30) -> list[str]:
    """A company's site prose as a list of sentences."""
    return [sentence(lang, name, rng) for _ in range(sentences)]


def copy_text(
    original: list[str],
    original_name: str,
    new_name: str,
    lang: str,
    rng: random.Random,
    rewrite_share: float,
) -> list[str]:
    """A clone's prose: the company name swapped, ``rewrite_share`` of sentences rewritten."""
    copied = [s.replace(original_name, new_name) for s in original]
    count = max(1, round(len(copied) * rewrite_share))
    for index in rng.sample(range(len(copied)), count):
        copied[index] = sentence(lang, new_name, rng)
    return copied


_EN_NAME_A = (
    "Bright Blue Silver North Clear Swift Iron Cedar Nova Apex Pixel Quantum Vertex Orbit "
    "Summit Harbor Maple Falcon Lumen Stone Cobalt Crimson Granite Aurora Zenith".split()
)
_EN_NAME_B = "path wave line forge bridge works point logic stack shift core sphere field".split()
_EN_NAME_C = ["Solutions", "Technologies", "Labs", "Software", "Digital", "Systems", "Tech"]
_ZH_NAME_A = "华信 金阳 新路 银星 云狐 天宇 海峰 东升 博远 智达 瑞丰 恒通 鸿图 锦程".split()
_ZH_NAME_B = ["科技", "软件", "信息技术", "网络科技", "数码"]


def company_name(lang: str, rng: random.Random) -> str:
    """A plausible company name."""
    if lang == "zh":
        return rng.choice(_ZH_NAME_A) + rng.choice(_ZH_NAME_B) + "有限公司"
    return f"{rng.choice(_EN_NAME_A)}{rng.choice(_EN_NAME_B)} {rng.choice(_EN_NAME_C)}"
