/** Errors always appear here, in plain French, announced by screen readers. */
export function Alert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="alert">
      {message}
    </div>
  );
}
