// Package transcript reads the transcript of a meeting and ties it to the
// interventions made.
//
// Parse reads a WebVTT file (W3C WebVTT): the WEBVTT header, cues with an
// optional id, their timings (hh:mm:ss.ttt --> hh:mm:ss.ttt, hours
// optional, cue settings kept as written) and their text over one or more
// lines; NOTE, STYLE and REGION blocks are skipped. A cue's voice (<v
// Speaker>) is kept as its Voice, and every tag is stripped from its text,
// whose character references (&amp; &lt; &gt; &nbsp; &lrm; &rlm; ...) are
// decoded. CRLF, CR and LF end lines alike, and a byte order mark is
// ignored. Bad input gets an invalid error naming the line and the reason;
// Limits bounds the bytes and the cues read.
//
// Align places each cue in absolute time (the meeting's base time plus the
// cue's offset) and assigns it to the intervention it overlaps most, so
// every segment of the transcript knows who was speaking; cues outside
// every intervention are left unassigned.
//
// The package is pure: no I/O beyond the reader it is given.
package transcript
