<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>首次使用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这是一个新的数据库。

是否载入演示县 (约 {0:,} 位老人的模拟数据) 以便熟悉操作?
选择「否」将创建空数据库。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成演示县</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择本县的政策:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作没有完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法使用该数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库需要升级</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库尚未初始化或版本较旧, 请管理员运行 workbench init</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 1 步: 选择花名册文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用「花名册模板」填写的 .xlsx 文件; 工作表名「花名册」, 第 1 行为列名。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>浏览(&amp;B)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择花名册文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 2 步: 列的对应</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件中的每一列按哪个模板列读取; 未识别的列不导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件中的列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>读作模板列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 3 步: 检查 (不写入数据)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入(&amp;I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只导入没有错误的行 (有错误的行留待更正后再导入)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存错误清单(&amp;E)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查每一行…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {0} 行, 全部通过检查: 将新增 {1} 人, 更新 {2} 人。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发现 {0} 处错误, 涉及 {1} 行。更正后重新选择文件, 或勾选下方选项只导入没有错误的行。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存错误清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>花名册错误清单.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 4 步: 导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入失败, 未写入任何数据: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入完成: 新增 {0} 人, 更新 {1} 人, 无变化 {2} 人{3}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入花名册</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下一步(&amp;N) &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 上一步(&amp;B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库: {0}
首次使用某个账户时, 输入的密码即成为该账户的密码 (至少 6 位)。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>花名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>申请审批</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>政策标准</source>
        <translation>Policy and standards</translation>
    </message>
    <message>
        <source>操作日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>待办</source>
        <translation>To do</translation>
    </message>
    <message>
        <source>解锁(&amp;U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县民政局老年人补贴工作台 {0} · {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>注销 / 切换用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户: {0}  角色: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>注销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>注销并切换用户 (Ctrl+Shift+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>窗口已锁定 (长时间未操作)。用户 {0} 请输入密码解锁。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1	快捷键与版本
F5	刷新当前界面
Ctrl+F	花名册: 搜索 (↓ 或回车进入结果)
Ctrl+N	花名册: 新增人员
F9	月度发放: 计算
Alt+带下划线的字母	转到该输入框或按钮
Ctrl+Shift+L	注销 / 切换用户
Ctrl+Q	退出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>快捷键与版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县民政局老年人补贴工作台
版本 {0}

数据库: {1}
自检: workbench selftest

{2}
{3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关于</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待办核查失败: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待办提醒 {0} 条, 疑点 {1} 条, 未认证 {2} 人, 资金预警 {3} 项 (Ctrl+{4})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 的用户 {1} 刚刚: {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>村(社区)</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>起始月份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批准(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>驳回(&amp;J)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印审批表(&amp;D)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色「{0}」无权审核审批</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审批</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在表中选择一条申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>驳回申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>驳回理由:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印审批表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存审批表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}_{1}_审批表.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已生成 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>银行返回的回盘文件 (xlsx 或文本)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入回盘(&amp;B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回盘文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入银行回盘后, 失败的发放不计为已发放, 下次计算时重新发放; 请先更正银行账户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择回盘文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回盘文件 (*.xlsx *.txt *.csv);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>银行回盘</source>
        <translation>Bank returns</translation>
    </message>
    <message>
        <source>请先选择回盘文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: 成功 {1} 人, 失败 {2} 人 (未支付 {3} 元); {4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户(&amp;U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>至(&amp;T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>包含(&amp;C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>服务器(&amp;V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>端口(&amp;K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库(&amp;B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登录名(&amp;L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密码 (存入系统凭据管理器)(&amp;Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>字体(&amp;Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已修改用户「{0}」: 角色 {1}, 状态 {2}, 乡镇 {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重置「{0}」的密码? 该用户下次登录时输入的密码即成为新密码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用/启用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连接失败: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连接成功, 但数据库是空的: 请先运行 workbench db setup-server, 或 db copy 迁移本机数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连接成功 (数据库版本: {0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共享服务器</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已设为使用共享服务器 {0}; 密码已存入系统凭据管理器。重新启动程序后生效。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存诊断信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>压缩文件 (*.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存 {0}: 日志、版本和设置 (不含密码), 请发给技术支持</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已改回本机数据库; 重新启动程序后生效。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作、对象或记录编号中的文字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印字体</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>之后打印的文件使用「{0}」</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查询(&amp;Q)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电脑</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 条 (最多显示最近 2000 条)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出诊断信息(&amp;G)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增用户(&amp;U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共享服务器 (多台电脑共用一个 PostgreSQL 数据库)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>显示(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>享受项目申请 (录入人不能审批自己录入的申请; 已审批的可重新打印审批表)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {0} 条{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批准申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批准 {0} 的「{1}」申请 (自 {2} 起)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>失败原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 银行退回 {1} 人 (请更正银行账户, 下次计算时重新发放)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 没有银行退回的发放</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>测试连接(&amp;T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用此服务器(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>改回本机数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印字体 (本机)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用此字体(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审批表、花名册等</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机没有找到 Windows 的宋体、仿宋、黑体, 只能使用程序自带字体</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户管理 (仅管理员)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>空: 全县; 乡镇用户填所负责的乡镇, 多个用、分隔</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增用户时填写, 至少 6 位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存角色和乡镇(&amp;H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重置密码(&amp;W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用/启用(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户名(&amp;N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇(&amp;O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>初始密码(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>启用(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增用户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已新增用户「{0}」({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>① 计算(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>② 审核批准(&amp;A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>③ 导出银行文件(&amp;E)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印发放花名册…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印汇总表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>计算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发放月份(&amp;M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核清单 (与上月比较)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所属期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上月金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>计算 {0} 发放</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>月度发放</source>
        <translation>Monthly payout</translation>
    </message>
    <message>
        <source>审核批准</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择保存银行文件的文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出银行文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {0} 人 {1} 行, 应发 {2} 元, 追回 {3} 元 ({4}){5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在载入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印公示名单…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索: 姓名、拼音首字母或身份证号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类别(&amp;K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查找(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批次状态: 正在载入 {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批次状态: 载入失败</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (草稿已过期: 计算后人员信息或标准有变更, 请重新计算)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批次状态: {0}{1}{2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}    显示 {1} 行, 共 {2} 行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 已计算: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批准并锁定 {0} 的发放批次?

{1}

批准后不能再修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 的批次已审批: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各银行代发清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>一卡通上传表 (全部银行, 每个项目一张表)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出{0}: {1} 及 {2}; 合计 {3} 元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人员信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名(&amp;M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>与身份证一致</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>18 位, 末位可为 X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份证号(&amp;D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>输入身份证号后自动填写性别、出生日期和年龄</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇(&amp;T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>村(社区)(&amp;V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首次登记 (享受项目须经他人审批)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>低保</source>
        <translation>Dibao</translation>
    </message>
    <message>
        <source>特困供养</source>
        <translation>Tekun support</translation>
    </message>
    <message>
        <source>开户银行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如: 阳城农商银行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只能是数字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生效月份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>起始</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>截止</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审批人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批次月份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>银行结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发放记录(&amp;1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态历史(&amp;2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>享受项目(&amp;3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>银行账户(&amp;4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录变更 (状态按月生效)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>户籍性质(&amp;H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系电话(&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>低保(&amp;B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>特困供养(&amp;K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自理能力(&amp;Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开户银行(&amp;Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>银行账号(&amp;N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>起始月份(&amp;Q)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收款人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>变更项目(&amp;G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新值(&amp;E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生效月份(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请享受项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>提交申请(&amp;A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请项目(&amp;I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>起始月份(&amp;O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还差 {0} 位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份证号无效: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份证号有效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 周岁</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>代领人: 姓名,身份证号,关系 (如 王小明,1405…,子女)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人员信息 · {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 周岁{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发放记录(&amp;1) · 失败 {0} 笔</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · 未清追回 {0} 元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 未清追回 {1} 元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (已重新载入最新信息)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已记录: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>死亡日期「{0}」: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发放的 {0} 将在下次计算时追回, 共 {1} 元。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有需要追回的已发放金额。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录死亡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录 {0} 于 {1} 去世?

{2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已提交「{0}」的申请, 等待其他用户审批</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>代码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发放</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>依据标准</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标准</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>档次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生效日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额(元)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入新标准 (仅管理员; 先预览对已发放月份的影响)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额, 如 960 或 960.00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览影响(&amp;V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标准(&amp;B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>档次(&amp;K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额(&amp;A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生效日期(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先预览影响</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>现行政策: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览新标准的影响</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存标准</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}

确认保存?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出统计表(&amp;X)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>月份(&amp;M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} — 请先在「月度发放」中计算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}): {2} 人, {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} 年各月发放金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各乡镇发放金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各乡镇发放人数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按年龄段的发放金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存统计表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}_统计表.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出统计表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇 / 村(社区)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索: 姓名、拼音首字母 (如 wdf) 或身份证号  Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增人员(&amp;N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入花名册(&amp;I)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态(&amp;Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目(&amp;X)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>载入花名册失败: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {0:,} 人, 显示 {1:,} 人{2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消, 未写入任何数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>户籍</source>
        <translation>Residence</translation>
    </message>
    <message>
        <source>享受项目</source>
        <translation>Items</translation>
    </message>
    <message>
        <source>待审批</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>疑点核查</source>
        <translation>Doubtful payments</translation>
    </message>
    <message>
        <source>导出(&amp;E)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印通知单(&amp;N)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按乡镇打印符合条件而未申请的人员, 交乡镇民政办通知本人 (身份证号遮盖)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待办提醒</source>
        <translation>Upcoming</translation>
    </message>
    <message>
        <source>记录所选人员的认证(&amp;R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入认证名单(&amp;I)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色「{0}」无权维护花名册</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未生存认证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>认证日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>元, 调减写负数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入资金(&amp;A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>仅管理员可录入专项资金</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>专项资金</source>
        <translation>Special funds</translation>
    </message>
    <message>
        <source>年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已审批批次的支出, 银行退回的不计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>收据号; 核销须写理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录所选人员的退回或核销(&amp;C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先冲抵该人员最早的未清追回款; 核销只能由审批或管理员办理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>追回台账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生存认证</source>
        <translation>Liveness checks</translation>
    </message>
    <message>
        <source>正在核查…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待办与核查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未清的追回款 {0} 笔, {1} 人: 应追回 {2} 元, 未清 {3} 元 (已审批批次的追回明细)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每年 {0} 月底前须完成当年生存认证; 之后未认证的暂停发放, 认证后恢复并补发。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未设置生存认证截止月: 未认证不暂停发放 (管理员可用 workbench liveness deadline 设置)。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 以下为 {0} 年尚未认证的享受人员 (当年新纳入的除外)。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待办提醒 {0} 条, 疑点 {1} 条, 未认证 {2} 人, 资金预警 {3} 项 (核查日期 {4})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出 {0} ({1} 行)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存通知单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待办提醒通知单_{0}.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印通知单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已生成 {0}: {1} 人待通知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在表中选择一位人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已记录 {0} 于 {1} 的生存认证 ({2})。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入认证名单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名单 {0} 行: 将记录 {1} 条, 已有 {2} 条, 不在花名册 {3} 人, 姓名不符 {4} 人。确定导入?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 {0} 行: 名单「{1}」, 花名册「{2}」</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名不符</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以下行的姓名与花名册不同:
{0}

核实无误, 也按身份证号导入这些行吗? (选「否」则这些行不导入)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已记录 {0} 条生存认证。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录 {0} {1} {2} 元 ({3})?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已记录 {0} 的{1}: {2}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入资金</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请填写金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入 {0} 年「{1}」{2} {3} 元?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已录入; {0} 年「{1}」预算合计 {2} 元。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
