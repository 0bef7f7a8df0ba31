// Every text the pages show, in one place. The HTML carries only keys (data-i18n*); add a locale
// by adding a table with the same keys and opening the page with ?lang=CODE.
(function () {
  'use strict';
  var tables = {
    zh: {
      agentTitle: '客服工作台',
      agentLogo: '客',
      customerLogo: '服',
      customerTitle: '在线客服',
      agentLoginTitle: '登录工作台',
      agentLoginHint: '密钥在服务启动时打印的工作台链接中',
      customerWelcome: '您好,有什么可以帮您?',
      customerWelcomeHint: '留下称呼,我们马上为您接通客服',
      name: '名称',
      yourName: '您的称呼',
      key: '客服密钥',
      connect: '连接',
      contact: '联系客服',
      disconnect: '下线',
      endChat: '结束会话',
      cancelQueue: '取消排队',
      send: '发送',
      message: '消息',
      inputPlaceholder: '输入消息,Enter 发送',
      inputTitle: 'Enter 发送,Shift+Enter 换行',
      namePlaceholder: '请输入您的称呼',
      me: '我',
      online: '在线',
      currentCustomer: '当前用户',
      noCustomer: '暂无用户,有人接入时会提醒您',
      since: '接入于 {0}',
      messageCount: '{0} 条消息',
      shortcuts: '快捷键',
      shortcutSend: '发送消息',
      shortcutNewline: '换行',
      waitingShort: '等待用户接入',
      servingShort: '正在为您服务',
      inConversation: '对话中 · 接入于 {0}',
      queueWaiting: '正在排队',
      queueAhead: '前面还有 {0} 位',
      queueNext: '下一位就是您',
      queueHint: '所有客服正忙,接通后会立即提醒您',
      queueLength: '排队 {0} 人',
      stateIdle: '未连接',
      stateConnecting: '正在连接…',
      stateWaitingRoom: '等待用户接入',
      stateServing: '正在服务 {0}',
      stateChatting: '{0} 为您服务',
      stateQueued: '排队中,第 {0} 位',
      statePeerAway: '对方暂时离开,正在等待重新连接',
      stateReconnecting: '连接中断,{0} 秒后重新连接…',
      stateEnded: '会话已结束',
      stateUnreachable: '无法连接服务器,请稍后再试',
      endedThanks: '感谢您的咨询',
      noAgent: '暂无空闲客服,请稍后再试',
      queueFull: '排队人数已满,请稍后再试',
      tryAgain: '再试一次',
      newChat: '重新咨询',
      newMessages: '有新消息',
      pending: '发送中',
      failed: '发送失败,点击重发',
      unread: '({0}) ',
      nameRequired: '请输入 1-32 个字符的名称',
      keyRequired: '请输入客服密钥',
      typing: '{0} 正在输入…',
      team: '团队',
      onlineCount: '{0} 人在线',
      agentFree: '空闲',
      agentServing: '服务中',
      agentAway: '暂时离开',
      you: '(我)',
      transfer: '转接',
      transferTo: '把当前用户转接给 {0}',
      transferring: '正在转接给 {0}…',
      teamChannel: '团队消息',
      teamTo: '发给',
      teamAll: '全体客服',
      teamMessage: '团队消息',
      teamPlaceholder: '发给团队…',
      teamEmpty: '还没有团队消息',
      privateNote: '私信 → {0}',
      unreadWhileAway: '离开期间收到 {0} 条新消息',
      transferredFrom: '由 {0} 转接',
      requeue: '转回排队',
      requeueTitle: '把当前用户交回排队,由下一位空闲客服接待',
      emoji: '表情',
      avatar: '头像',
      avatarFromName: '用名字生成',
      avatarName_cat: '猫',
      avatarName_dog: '狗',
      avatarName_fox: '狐狸',
      avatarName_panda: '熊猫',
      avatarName_rabbit: '兔子',
      avatarName_bear: '熊',
      avatarName_tiger: '老虎',
      avatarName_koala: '考拉',
      avatarName_frog: '青蛙',
      avatarName_penguin: '企鹅',
      avatarName_owl: '猫头鹰',
      avatarName_whale: '鲸鱼',
      waited: '排队等待 {0}',
      waitedNone: '无需等待',
      seconds: '{0} 秒',
      minutes: '{0} 分 {1} 秒',
      cannedReplies: '快捷回复',
      cannedNew: '新建',
      cannedEmpty: '还没有快捷回复。在输入框中输入 / 可以插入快捷回复',
      cannedShortcut: '快捷词(输入 / 加快捷词插入)',
      cannedTitleLabel: '标题',
      cannedBody: '回复内容',
      cannedEdit: '编辑',
      cannedEditLabel: '编辑快捷回复 {0}',
      cannedDelete: '删除',
      cannedDeleteLabel: '删除快捷回复 {0}',
      cannedBadShortcut: '快捷词为 1-32 个字母、数字、_ 或 -',
      cannedBadTitle: '标题为 1-60 个字符',
      cannedBadBody: '回复内容不能为空,也不能超过消息长度上限',
      cannedTaken: '这个快捷词已被使用',
      cannedFailed: '保存失败,请稍后再试',
      cannedNoMatch: '没有匹配的快捷回复',
      shortcutCanned: '插入快捷回复',
      save: '保存',
      cancel: '取消',
      ratingTitle: '请为本次服务评分',
      star1: '1 星(非常不满意)',
      star2: '2 星(不满意)',
      star3: '3 星(一般)',
      star4: '4 星(满意)',
      star5: '5 星(非常满意)',
      ratingComment: '评价(可选)',
      ratingCommentPlaceholder: '说说您的感受(可选,最多 500 字)',
      ratingSubmit: '提交评价',
      ratingPickScore: '请先选择星级',
      ratingThanks: '感谢您的评价!',
      ratingAlready: '您已经评价过本次服务',
      ratingExpired: '评价时间已过',
      ratingFailed: '提交失败,请稍后再试',
      ratedNotice: '{0} · “{1}”',
      attachImage: '发送图片',
      attachImageTitle: '发送图片(也可以粘贴或拖入图片)',
      imageMessage: '[图片]',
      imageAlt: '{0} 发送的图片',
      openImage: '点击查看原图',
      imageUploading: '正在上传图片…',
      imageTooLarge: '图片“{0}”太大,最大 {1}',
      imageNotImage: '“{0}”不是图片,只能发送 PNG、JPEG、GIF 或 WebP',
      imageFailed: '图片“{0}”上传失败,请重试',
      messagesLabel: '聊天记录',
      botBadge: '机器人',
      botName: '小助手',
      botHint: '排队期间可以先问问小助手(自动回复),例如:营业时间、退款、发货',
      noAgentOnline: '现在没有客服在线',
      offlineOpen: '给客服留言',
      offlineTitle: '留言',
      offlineHint: '客服上线后会通过您留下的联系方式联系您',
      offlineContact: '联系方式(邮箱或手机号)',
      offlineContactPlaceholder: '例如 name@example.com 或 138 0013 8000',
      offlineText: '留言内容',
      offlineTextPlaceholder: '请描述您的问题,最多 1000 字',
      offlineSend: '提交留言',
      offlineCancel: '取消',
      offlineSending: '正在提交…',
      offlineThanks: '留言已收到,客服会通过 {0} 联系您',
      offlineContactRequired: '请填写邮箱或手机号',
      offlineTextRequired: '请填写留言内容',
      offlineErrors: {
        bad_contact: '请填写正确的邮箱或手机号',
        bad_name: '称呼无效,请重新咨询',
        empty: '请填写留言内容',
        too_long: '留言最多 1000 字',
        bad_char: '留言不能包含空字符',
        too_large: '留言过长',
        rate_limited: '留言太频繁,请稍后再试',
        bad_json: '提交失败,请重试',
      },
      offlineFailed: '提交失败,请稍后再试',
      offlineInbox: '留言',
      offlineFrom: '{0} · {1}',
      offlineHandled: '标为已处理',
      offlineHandledLabel: '把 {0} 的留言标为已处理',
      offlineHandleFailed: '未能标记,请重试',
      close: {
        1000: '会话已结束',
        1001: '服务器正在离开',
        1003: '发送了不支持的数据',
        1006: '连接意外断开',
        1008: '发送过多无效消息,连接已关闭',
        1009: '消息过大',
        1011: '服务器内部错误',
        1012: '服务器正在重启',
        1013: '服务暂时不可用,请稍后再试',
        4002: '您已在另一个窗口打开此会话',
        4008: '网络太慢,连接已断开',
        4400: '名称或参数无效',
        4401: '身份验证失败',
        4409: '该客服名称已在线',
        other: '连接已关闭(代码 {0})',
      },
      // Where one code means different things to the two parties.
      closeAgent: {
        4401: '客服密钥错误,请检查后重试',
      },
      closeCustomer: {
        4401: '会话凭证无效或已过期,请重新咨询',
      },
    },
  };
  var wanted = new URLSearchParams(location.search).get('lang');
  var lang = wanted && tables[wanted] ? wanted : 'zh';

  /** The text for a key ('close.4401' walks into tables), with {0}, {1}… filled in. */
  function t(key) {
    var parts = key.split('.');
    var v = tables[lang];
    for (var i = 0; i < parts.length && v !== undefined; i++) v = v[parts[i]];
    if (typeof v !== 'string') v = key;
    var args = Array.prototype.slice.call(arguments, 1);
    return v.replace(/\{(\d)\}/g, function (_m, n) {
      return String(args[Number(n)]);
    });
  }

  /** A readable reason for a WebSocket close code, as the agent ('kefu') or customer sees it. */
  function closeReason(code, role) {
    var table = tables[lang];
    var own = role === 'kefu' ? table.closeAgent : role === 'yonghu' ? table.closeCustomer : null;
    return (own && own[code]) || table.close[code] || t('close.other', code);
  }

  /** Fills the page's static texts from data-i18n (text) and data-i18n-ATTR (attributes). */
  function apply(root) {
    var nodes = root.querySelectorAll('*');
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      for (var j = 0; j < n.attributes.length; j++) {
        var a = n.attributes[j];
        if (a.name === 'data-i18n') n.textContent = t(a.value);
        else if (a.name.indexOf('data-i18n-') === 0) n.setAttribute(a.name.slice(10), t(a.value));
      }
    }
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : lang;
  }

  window.KefuStrings = { t: t, closeReason: closeReason, apply: apply, lang: lang };
  apply(document);
})();
