package api

// ExportPage lets tests read the bulk export's comments in small pages.
var ExportPage = &exportPage
