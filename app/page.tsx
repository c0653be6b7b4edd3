// Home page: the chat app (a client component that talks to the API over HTTP).
import { ChatApp } from "@/components/app/chat-app";

export default function Home() {
  return <ChatApp />;
}
