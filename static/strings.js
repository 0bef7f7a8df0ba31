// Every text the pages show, in one place. Add a locale by adding a table with the same keys.
(function () {
  'use strict';
  var tables = {
    zh: {
      agentTitle: '客服工作台',
      customerTitle: '在线客服',
      name: '名称',
      key: '客服密钥',
      connect: '连接',
      contact: '联系客服',
      disconnect: '断开',
      send: '发送',
      inputPlaceholder: '输入消息,Enter 发送,Shift+Enter 换行',
      namePlaceholder: '请输入您的称呼',
      stateIdle: '未连接',
      stateConnecting: '正在连接…',
      stateWaitingRoom: '等待用户接入',
      stateServing: '正在服务 {0}',
      stateChatting: '客服 {0} 为您服务',
      stateQueued: '排队中,前面还有 {0} 位',
      statePeerAway: '对方暂时离开,正在等待重新连接',
      stateReconnecting: '连接中断,{0} 秒后重新连接…',
      stateEnded: '会话已结束',
      stateUnreachable: '无法连接服务器,请稍后再试',
      noAgent: '暂无空闲客服,请稍后再试',
      queueFull: '排队人数已满,请稍后再试',
      tryAgain: '再试一次',
      newChat: '重新咨询',
      pending: '发送中',
      failed: '发送失败,点击重发',
      unread: '({0}) ',
      newMessageFrom: '{0} 发来新消息',
      customerArrived: '用户 {0} 已接入',
      nameRequired: '请输入 1-32 个字符的名称',
      keyRequired: '请输入客服密钥',
      typing: '{0} 正在输入…',
      emoji: '表情',
      messagesLabel: '聊天记录',
      close: {
        1000: '会话已结束',
        1001: '服务器正在离开',
        1003: '发送了不支持的数据',
        1006: '连接意外断开',
        1008: '发送过多无效消息,连接已关闭',
        1009: '消息过大',
        1011: '服务器内部错误',
        1012: '服务器正在重启',
        1013: '服务暂时不可用',
        4002: '您已在另一个窗口打开此会话',
        4008: '网络太慢,连接已断开',
        4400: '名称或参数无效',
        4401: '身份验证失败(密钥或票据无效、已使用或已过期)',
        4409: '该客服名称已在线',
        other: '连接已关闭(代码 {0})',
      },
    },
  };
  var lang = 'zh';
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
  function closeReason(code) {
    var table = tables[lang].close;
    return table[code] || t('close.other', code);
  }
  window.KefuStrings = { t: t, closeReason: closeReason };
})();
