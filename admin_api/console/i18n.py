"""The console's own message catalogue: English (codes → labels) and Simplified Chinese.

Templates write ``_("English text")`` or ``_(code)`` (a status, an outcome, a role…). English
shows the text, or the label of a code; Chinese looks the text (or the code's English label)
up in ``ZH``. A test checks that every text of the templates, and every code the pages show,
has its Chinese; nothing is machine-translated at run time.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "zh")

# codes the pages show → their English label
EN: dict[str, str] = {
    # roles
    "admin": "admin", "supervisor": "supervisor", "agent": "agent", "auditor": "auditor",
    # campaign states and actions
    "draft": "draft", "running": "running", "paused": "paused", "stopped": "stopped",
    "finished": "finished", "start": "Start", "pause": "Pause", "resume": "Resume",
    "stop": "Stop", "finish": "Finish",
    # case statuses
    "open": "open", "promised": "promised", "plan": "plan", "disputed": "disputed",
    "ceased": "ceased", "paid": "paid", "closed": "closed",
    # agents' states
    "available": "available", "on_call": "on call", "wrap_up": "wrap-up", "offline": "offline",
    # outcomes (dialogue and line)
    "promise_to_pay": "promise to pay", "payment_plan": "payment plan",
    "already_paid": "already paid", "dispute": "dispute", "wrong_number": "wrong number",
    "third_party": "third party", "callback_scheduled": "callback", "refused": "refused",
    "transferred": "transferred", "cease_requested": "cease request", "hung_up": "hung up",
    "no_answer": "no answer", "machine": "answering machine", "unverified": "unverified",
    "busy": "busy", "failed": "failed", "invalid_number": "invalid number",
    "abandoned": "abandoned", "in_progress": "in progress", "interrupted": "interrupted",
    # follow-ups
    "callback": "callback", "promise_check": "promise check",
    "verify_payment": "verify payment", "call": "call", "sms": "SMS",
    "deceased_review": "deceased: review",
    # tiers, pacing, languages
    "low": "low", "medium": "medium", "high": "high", "—": "—",
    "progressive": "progressive", "predictive": "predictive",
    "en": "English", "zh": "Chinese",
    # promise states, flags, note kinds, speakers
    "pending": "pending", "kept": "kept", "broken": "broken",
    "cease": "cease", "attorney": "attorney", "deceased": "deceased",
    "bankruptcy": "bankruptcy", "note": "note", "assignment": "assignment",
    "outcome": "outcome", "hardship": "hardship", "transfer": "transfer",
    "debtor": "debtor", "estate_contact": "estate contact",
    "disclosure": "possible disclosure: review",
    # reports, their grains and columns
    "collection-progress": "collection progress", "customer-analysis": "customer analysis",
    "agent-performance": "agent performance", "channel-cost": "channel cost",
    "champion-challenger": "champion / challenger", "sms-templates": "SMS templates",
    "day": "day", "week": "week", "month": "month", "period": "period",
    "attempts": "attempts", "cases_contacted": "cases contacted",
    "right_party_contacts": "right-party contacts", "promises": "promises",
    "kept_promises": "kept promises", "dimension": "dimension", "segment": "segment",
    "cases": "cases", "contacted": "contacted", "agent_id": "agent",
    "conversations": "conversations",
    "talk_minutes": "talk minutes", "arm": "arm", "template": "template", "language": "language",
    "sent": "sent", "delivered": "delivered", "replied": "replied", "tier": "tier",
    "dpd_bucket": "days past due", "product": "product",
    # error titles
    "Not allowed": "Not allowed", "Not found": "Not found",
    "Not possible now": "Not possible now", "Not valid": "Not valid", "Error": "Error",
}  # fmt: skip

ZH: dict[str, str] = {
    # page texts
    "(masked)": "（已遮蔽）", "Abandonment": "放弃率", "Abandonment limit (%)": "放弃率上限（%）",
    "Abandonment per hour": "每小时放弃率", "Account": "账户", "Actions": "操作",
    "Address": "地址", "After": "情形", "Agent": "坐席", "Agents": "坐席",
    "Agents take transfers": "坐席接听转接", "Amount": "金额",
    "Amount and date go with the outcome promise to pay.": "结果为“承诺还款”时填写金额和日期。",
    "Amount promised": "承诺金额", "Answered": "已接通", "Assigned cases": "分配案件",
    "At most": "最多次数", "Back to the console": "返回控制台",
    "Call list: case ids (optional)": "呼叫名单：案件编号（可选）",
    "Callback (debtor's time)": "回拨时间（债务人当地时间）",
    "Calling window from": "呼叫时段自", "Each debtor's own": "按债务人自己的语言",
    "Empty: the legal calling hours only": "留空：仅按法定呼叫时段",
    "Empty: the dialer's default rule for that outcome": "留空：该结果使用外呼系统的默认规则",
    "Calls and outcomes per hour": "每小时呼叫与结果",
    "Calls today": "今日通话", "Campaign": "活动", "Campaigns": "外呼活动", "Case": "案件",
    "Case status": "案件状态", "Cases": "案件", "Channel": "渠道",
    "Charts of the day": "今日图表", "Contacts": "联系记录", "Create campaign": "创建活动",
    "Current call": "当前通话", "Dashboard": "监控面板", "Days past due": "逾期天数",
    "Days past due from": "逾期天数自", "Days past due to": "逾期天数至", "Debtor": "债务人",
    "Debtor language (none: all)": "债务人语言（不选：全部）", "Dispute reason": "争议原因",
    "Due": "到期日", "Email": "电子邮件", "Flags": "标记", "Follow-up": "跟进",
    "History": "历史", "How to call": "呼叫方式", "In progress": "进行中",
    "Jurisdictions (country codes; empty: all)": "司法辖区（国家代码；留空：全部）",
    "Language": "语言", "Languages": "语言", "Lines": "线路", "Live: connected": "实时：已连接",
    "Live: connecting…": "实时：连接中…", "Live: reconnecting…": "实时：重新连接中…",
    "Log out": "退出登录", "Made": "创建于", "Main menu": "主菜单", "Minutes": "分钟",
    "My desk": "我的工作台", "My queue": "我的队列", "Name": "姓名", "New campaign": "新建活动",
    "Next": "下一页", "Next action": "下一步", "No agent.": "没有坐席。",
    "No campaign today.": "今天没有活动。", "No case assigned.": "没有分配的案件。",
    "No case matches.": "没有符合条件的案件。", "No recording for this call.": "此通话没有录音。",
    "None.": "无。", "Note": "备注", "Notes": "备注",
    "Open the case and wrap up": "打开案件并填写小结",
    "Outcome": "结果", "Outstanding": "未偿金额", "Pacing": "拨号方式", "Pages": "分页",
    "Paid": "付款时间", "Password": "密码", "Payments": "还款", "Phones": "电话",
    "Placed": "已拨打", "Previous": "上一页", "Product": "产品",
    "Products (comma separated; empty: all)": "产品（逗号分隔；留空：全部）",
    "Promise: amount": "承诺：金额", "Promise: date": "承诺：日期", "Promises": "还款承诺",
    "Promises per hour": "每小时承诺数", "Recording": "录音", "Reference": "参考号",
    "Retries": "重拨规则",
    "Reveal personal data (recorded in the audit log)": "显示个人信息（记入审计日志）",
    "Right-party contacts": "本人接触", "Ring time (seconds)": "振铃时间（秒）",
    "Risk tier": "风险等级", "Risk tier (none: all)": "风险等级（不选：全部）",
    "Save wrap-up": "保存小结", "Script": "话术", "Script language": "话术语言", "Search": "搜索",
    "Search cases": "搜索案件", "Sign in": "登录", "Sign-in refused.": "登录被拒绝。",
    "Skip to content": "跳到正文", "State": "状态", "Status": "状态",
    "Strategy (optional)": "策略（可选）", "The campaign was not saved:": "活动未保存：",
    "Today": "今天", "Too many attempts; wait a minute.": "尝试次数过多，请稍候一分钟。",
    "Transcript": "通话文本", "Transcript masked.": "通话文本已遮蔽。",
    "Transferred call": "转接来电",
    "Username": "用户名", "When": "时间", "Who to call": "呼叫对象", "Wrap-up": "通话小结",
    "Wrap-up recorded.": "小结已保存。", "Wrong username or password.": "用户名或密码错误。",
    "any": "全部", "call ended": "通话已结束", "cases": "个案件", "do not call": "请勿致电",
    "due": "到期", "follow-ups due": "项跟进到期", "masked": "已遮蔽", "on the line": "通话中",
    "to": "至", "until (debtor's time)": "至（债务人当地时间）", "updated": "更新于",
    # code labels
    "admin": "管理员", "supervisor": "主管", "agent": "坐席", "auditor": "审计员",
    "draft": "草稿", "running": "运行中", "paused": "已暂停", "stopped": "已停止",
    "finished": "已完成", "Start": "开始", "Pause": "暂停", "Resume": "继续", "Stop": "停止",
    "Finish": "结束", "open": "未结", "promised": "已承诺", "plan": "分期中", "disputed": "有争议",
    "ceased": "已停止催收", "paid": "已还清", "closed": "已结案", "available": "空闲",
    "on call": "通话中", "wrap-up": "小结中", "offline": "离线", "promise to pay": "承诺还款",
    "payment plan": "分期还款", "already paid": "已还款", "dispute": "争议",
    "wrong number": "号码错误", "third party": "第三方", "callback": "回拨", "refused": "拒绝",
    "transferred": "已转接", "cease request": "要求停止联系", "hung up": "挂断",
    "no answer": "无人接听", "answering machine": "语音信箱", "unverified": "未核实",
    "busy": "忙线", "failed": "失败", "invalid number": "空号", "abandoned": "放弃",
    "in progress": "进行中", "interrupted": "中断", "promise check": "承诺核查",
    "deceased: review": "已故待核实",
    "verify payment": "核实还款", "call": "电话", "SMS": "短信", "low": "低", "medium": "中",
    "high": "高", "—": "—", "progressive": "渐进式",
    "predictive": "预测式", "English": "英语", "Chinese": "中文", "pending": "待履行",
    "kept": "已履行", "broken": "已违约", "cease": "停止联系", "attorney": "律师代理",
    "deceased": "已故", "bankruptcy": "破产", "note": "备注", "assignment": "分配",
    "outcome": "结果", "hardship": "经济困难", "transfer": "转接", "bot": "机器人",
    "estate contact": "后事联系人", "possible disclosure: review": "疑似向第三方披露：待核查",
    "debtor": "债务人", "collection progress": "催收进度", "customer analysis": "客户分析",
    "agent performance": "坐席绩效", "channel cost": "渠道成本",
    "champion / challenger": "冠军/挑战者",
    "SMS templates": "短信模板", "day": "日", "week": "周", "month": "月", "period": "期间",
    "attempts": "联系次数", "cases contacted": "已联系案件", "right-party contacts": "本人接触",
    "promises": "承诺", "kept promises": "已履行承诺", "dimension": "维度", "segment": "分组",
    "contacted": "已联系", "conversations": "通话", "talk minutes": "通话分钟", "arm": "策略组",
    "template": "模板", "language": "语言", "sent": "已发送", "delivered": "已送达",
    "replied": "已回复", "tier": "风险等级", "days past due": "逾期天数", "product": "产品",
    "Reports": "报表", "My state": "我的状态", "Set": "设置", "Administration": "系统管理",
    "Users and roles": "用户与角色", "Role": "角色", "Active": "启用", "Created": "创建时间",
    "yes": "是", "no": "否", "Agents and skills": "坐席与技能", "Products": "产品",
    "Capacity": "容量", "Phone endpoint": "话机端点", "Text": "内容",
    "Variables": "变量", "Add or replace a template": "新增或替换模板", "Save template": "保存模板",
    "Dialogue scripts": "对话话术", "File": "文件", "Prompts": "提示语", "Strategies": "策略",
    "Valid": "有效", "Problems": "问题", "Uploaded by": "上传者",
    "Users are created with `collectbot users add` or POST /users.": (
        "用户通过 `collectbot users add` 或 POST /users 创建。"
    ),
    "Today's collection report (PDF)": "今日催收报表（PDF）", "Daily collection report": "催收日报",
    "Choose a report": "选择报表", "Report": "报表", "Last days": "最近天数",
    "By": "按", "Show": "显示", "Download CSV": "下载 CSV", "Download Excel": "下载 Excel",
    "No data in this range.": "此范围内没有数据。",
    "Not allowed": "无权访问", "Not found": "未找到",
    "Not possible now": "当前无法执行", "Not valid": "输入无效", "Error": "错误",
}  # fmt: skip


# the admin forms, the script editor, the live board and the portfolio charts
ZH.update({
    "A file with problems is kept and listed with them; campaigns can use only valid ones.": (
        "有问题的文件也会保存并列出问题；活动只能使用有效的策略。"
    ),
    "Add a user": "新增用户", "Add agent": "新增坐席", "Add an agent": "新增坐席",
    "Add user": "新增用户", "Change": "修改", "Edit": "编辑",
    "Checked before it is saved: YAML, the language, every prompt the dialogue asks for, "
    "known placeholders only.": (
        "保存前检查：YAML 格式、语言、对话所需的每条提示语、仅限已知占位符。"
    ),
    "Calls speak version": "通话使用版本",
    "A new version reaches the workers' next calls within 30 s.": "新版本在 30 秒内用于后续通话。",
    "Dialogue script": "对话话术", "Digest": "摘要",
    "Languages (comma separated; empty: any)": "语言（逗号分隔；留空：全部）",
    "New password (empty: unchanged)": "新密码（留空：不变）", "Not saved:": "未保存：",
    "Password (12 characters or more)": "密码（至少 12 个字符）",
    "Risk tiers (comma separated; empty: any)": "风险等级（逗号分隔；留空：全部）",
    "Save agent": "保存坐席", "Save as a new version": "另存为新版本", "Save user": "保存用户",
    "Saved by": "保存者", "Saved.": "已保存。", "Showing version": "正在显示版本",
    "Strategy file (YAML)": "策略文件（YAML）", "Upload": "上传", "Upload a strategy": "上传策略",
    "User id (optional)": "用户编号（可选）", "Version": "版本", "Versions": "版本历史",
    "What changed (optional)": "修改说明（可选）", "YAML": "YAML 文本", "bundled": "内置",
    "current": "当前", "saving it makes it the next version.": "保存后将成为下一个版本。",
    "Live": "实时", "Refreshing every 5 s": "每 5 秒刷新", "Connecting…": "连接中…",
    "Portfolio": "资产组合", "Right now": "当前", "Lines in use": "占用线路",
    "Calls in progress": "进行中的通话", "With an agent": "坐席通话中", "Time in state": "状态时长",
    "Cases and recovery by days past due": "按逾期天数的案件数与回收率",
    "Cases and recovery by days past due (last 8 weeks)": "按逾期天数的案件数与回收率（近 8 周）",
    "Promises and the share kept, per week": "每周承诺数与履约率",
    "Collected per week": "每周回收金额", "Recovery (%)": "回收率（%）",
    "Promises kept (%)": "履约率（%）", "Collected": "已回收",
})  # fmt: skip


def translator(lang: str) -> Callable[[str], str]:
    if lang == "zh":
        return lambda key: ZH.get(key) or ZH.get(EN.get(key, key)) or EN.get(key, key)
    return lambda key: EN.get(key, key)
