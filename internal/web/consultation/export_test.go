package consultation

// DownloadFirstPage lets tests make a disposition table's download read
// most of its rows while it writes.
var DownloadFirstPage = &downloadFirstPage
