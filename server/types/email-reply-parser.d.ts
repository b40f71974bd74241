// Minimal typings for email-reply-parser 2.1.0 (CommonJS, ships no types).
declare module 'email-reply-parser' {
  class Fragment {
    getContent(): string;
    isHidden(): boolean;
    isSignature(): boolean;
    isQuoted(): boolean;
    isAnswer(): boolean;
    isEmpty(): boolean;
    toString(): string;
  }
  class Email {
    getFragments(): Fragment[];
    getVisibleText(): string;
    getQuotedText(): string;
  }
  class EmailReplyParser {
    read(text: string): Email;
    parseReply(text: string): string;
    parseReplied(text: string): string;
  }
  export = EmailReplyParser;
}
