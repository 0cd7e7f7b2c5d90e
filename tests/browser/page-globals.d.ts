// What the page scripts (book/interactive) use that none of them declares
// as a global of its own: mdBook's (its Ace editor, its list of editors,
// highlight.js) and the server's event stream, which events.js sets on the
// pages `cargo workbook serve` serves.

interface WorkbookEvents {
  addEventListener(type: "version" | "notice", listener: (event: { type: string; data: string }) => void): void;
  close(): void;
  heard: string | null;
}

interface Window {
  workbookEvents?: WorkbookEvents;
  ace?: any;
  editors?: any[];
  hljs?: any;
}
