package domain

// Labels of the typed values in zh-CN, for the ledger (台账), circulars and messages. The UI
// carries its own (zh-CN and English) for the same stable values.

var statusZH = map[ItemStatus]string{StatusPending: "未启动", StatusAssigned: "待签收", StatusActive: "推进中",
	StatusReview: "待审核", StatusSuspended: "已暂停", StatusCompleted: "已办结", StatusCancelled: "已撤销"}

var lightZH = map[Light]string{Red: "红", Yellow: "黄", Green: "绿"}

// ZH is the status in Chinese (推进中 …).
func (s ItemStatus) ZH() string { return statusZH[s] }

// ZH is the light in Chinese (红, 黄, 绿).
func (l Light) ZH() string { return lightZH[l] }
