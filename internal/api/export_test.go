package api

import "github.com/plenary-forum/plenary/internal/consultation"

// ExportPage lets tests read the bulk export's comments in small pages.
var ExportPage = &consultation.CommentBatch
