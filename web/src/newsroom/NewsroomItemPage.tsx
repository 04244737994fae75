import { useEffect } from 'react';
import { ItemEditor } from '../content/editor/ItemEditor.tsx';
import { navigate, usePath } from '../shared/router.ts';

/** /items/:id — where notifications and the newsroom pages link to: the item in the editor. */
export default function NewsroomItemPage() {
  const path = usePath();
  const id = path.startsWith('/items/') ? decodeURIComponent(path.slice('/items/'.length)) : null;
  useEffect(() => {
    if (!id) navigate('/hub', true);
  }, [id]);
  if (!id) return null;
  return <ItemEditor key={id} id={id} backPath="/hub" />;
}
